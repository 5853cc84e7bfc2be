package listedit

import (
	"regexp"
	"strings"

	"github.com/paperlist/paperlist"
)

// repoPath finds the "owner/name" of a GitHub link: after the host, up to
// the next "/", "?", "#" or the end, with an optional ".git".
var repoPath = regexp.MustCompile(`(?i)^(https?://(?:www\.)?github\.com/)([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(\.git)?([/?#].*)?$`)

// RenameRepoURL returns the GitHub link target link with its repository
// replaced by fullName (a canonical "owner/name"), everything else as it
// was: scheme, host, a ".git", and the path suffix, so that
// https://github.com/facebookresearch/llama/tree/main becomes
// https://github.com/meta-llama/llama/tree/main. ok is false when link is
// not a GitHub repository link, fullName is not an "owner/name" in
// GitHub's grammar (paperlist.ValidGitHubName: an answer that says
// anything else is not written), or the two
// names differ in case alone, which is no rename.
func RenameRepoURL(link, fullName string) (string, bool) {
	m := repoPath.FindStringSubmatch(link)
	if m == nil || !paperlist.ValidGitHubName(fullName) || strings.EqualFold(m[2], fullName) {
		return "", false
	}
	return m[1] + fullName + m[3] + m[4], true
}

// arxivPath finds the id of an arXiv abstract or PDF link, with its
// version: a new-style id (2205.14135v2) or an old-style one
// (hep-th/9901001v1).
var arxivPath = regexp.MustCompile(`(?i)^(https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v(\d+))?)(.*)$`)

// ReplaceArxivID returns the arXiv link target link with its paper id
// replaced by id (without version), keeping the link's form: abs or pdf,
// http or https, a ".pdf" after the id. A version the link named is
// dropped, since it belongs to the other paper; dropped is that version
// ("v2"), or "" when there was none. ok is false when link is not an arXiv
// abstract or PDF link with an id, or id is not an arXiv id without a version
// that arXiv could have given (paperlist.PlausibleArxivID).
func ReplaceArxivID(link, id string) (newLink, dropped string, ok bool) {
	m := arxivPath.FindStringSubmatch(link)
	if m == nil || !paperlist.PlausibleArxivID(id) {
		return "", "", false
	}
	if m[3] != "" {
		dropped = "v" + m[3]
	}
	return m[1] + id + m[4], dropped, true
}
