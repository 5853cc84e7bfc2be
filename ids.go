package paperlist

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

var (
	// New-style identifiers since April 2007: YYMM.NNNN (to 2014) or
	// YYMM.NNNNN (from 2015), with an optional version.
	newArxivID = regexp.MustCompile(`^(\d{4}\.\d{4,5})(?:v(\d+))?$`)
	// Old-style identifiers: archive[.subject-class]/YYMMNNN.
	oldArxivID = regexp.MustCompile(`^([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?$`)
	// GitHub owner and repository names.
	githubOwner = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	githubRepo  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// SplitArxivID splits an arXiv identifier into the id without version and
// the version (0 when none is given). It reports false when s is not a
// well-formed new-style or old-style identifier.
func SplitArxivID(s string) (id string, version int, ok bool) {
	s = strings.TrimSpace(s)
	if id, version, ok, sure := splitNewArxivID(s); sure {
		return id, version, ok
	}
	m := newArxivID.FindStringSubmatch(s)
	if m == nil {
		m = oldArxivID.FindStringSubmatch(s)
	}
	if m == nil {
		return "", 0, false
	}
	if m[2] != "" {
		v, err := strconv.Atoi(m[2])
		if err != nil || v < 1 {
			return "", 0, false
		}
		version = v
	}
	return m[1], version, true
}

// splitNewArxivID splits a new-style identifier without a regular
// expression, as newArxivID would; sure is false when s is not one, for
// SplitArxivID to try the expressions. Lists hold thousands of ids.
func splitNewArxivID(s string) (id string, version int, ok, sure bool) {
	digits := func(i int) int {
		j := i
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		return j - i
	}
	if digits(0) != 4 || len(s) < 5 || s[4] != '.' {
		return "", 0, false, false
	}
	n := digits(5)
	if n < 4 || n > 5 {
		return "", 0, false, false
	}
	end := 5 + n
	if end == len(s) {
		return s, 0, true, true
	}
	if s[end] != 'v' || digits(end+1) == 0 || end+1+digits(end+1) != len(s) {
		return "", 0, false, false
	}
	v, err := strconv.Atoi(s[end+1:])
	if err != nil || v < 1 {
		return "", 0, false, true
	}
	return s[:end], v, true, true
}

// PlausibleArxivID reports whether s is an arXiv id without a version that
// arXiv could have given: well-formed (SplitArxivID) with a YYMM whose month
// is 01 to 12, in the new style and the old. SplitArxivID reads what lists
// and answers hold, ids arXiv then finds or not ("0000.0000" is one it
// answers as unknown); PlausibleArxivID checks an id before fix writes it.
func PlausibleArxivID(s string) bool {
	id, version, ok := SplitArxivID(s)
	if !ok || version != 0 || id != s {
		return false
	}
	yymm := id[strings.IndexByte(id, '/')+1:]
	mm := yymm[2:4]
	return mm[0] == '0' && '1' <= mm[1] && mm[1] <= '9' || mm[0] == '1' && '0' <= mm[1] && mm[1] <= '2'
}

// ValidArxivID reports whether s is a well-formed arXiv identifier, with or
// without a version.
func ValidArxivID(s string) bool {
	_, _, ok := SplitArxivID(s)
	return ok
}

// IsArxivHost reports whether host serves arXiv pages.
func IsArxivHost(host string) bool {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	return host == "arxiv.org" || host == "export.arxiv.org"
}

// ParseArxivURL reads the arXiv identifier out of a link to an arXiv paper:
// the abstract, PDF or HTML page on arxiv.org or export.arxiv.org
// (https://arxiv.org/abs/2302.13971, https://arxiv.org/abs/2306.11695v1,
// https://arxiv.org/pdf/2307.06148.pdf, https://arxiv.org/html/2402.00001v1,
// https://arxiv.org/abs/hep-th/9901001), and the mirrors and indexes that name
// a paper by its arXiv id: ar5iv (https://ar5iv.org/abs/ID,
// https://ar5iv.labs.arxiv.org/html/ID), alphaXiv
// (https://www.alphaxiv.org/abs/ID), Hugging Face papers
// (https://huggingface.co/papers/ID) and arXiv's DOIs
// (https://doi.org/10.48550/arXiv.ID). It reports false when the URL is not
// a link to an arXiv paper.
func ParseArxivURL(raw string) (id string, version int, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", 0, false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p := strings.Trim(u.Path, "/")
	kind, rest, found := strings.Cut(p, "/")
	if !found {
		return "", 0, false
	}
	switch {
	case IsArxivHost(host):
		switch kind {
		case "abs", "pdf", "html", "format":
		default:
			return "", 0, false
		}
	case host == "ar5iv.org" || host == "ar5iv.labs.arxiv.org":
		if kind != "abs" && kind != "html" {
			return "", 0, false
		}
	case host == "alphaxiv.org":
		if kind != "abs" && kind != "overview" && kind != "pdf" {
			return "", 0, false
		}
	case host == "huggingface.co" || host == "hf.co":
		if kind != "papers" {
			return "", 0, false
		}
	case host == "doi.org" || host == "dx.doi.org":
		id, ok := strings.CutPrefix(strings.ToLower(p), "10.48550/arxiv.")
		if !ok {
			return "", 0, false
		}
		return SplitArxivID(p[len(p)-len(id):])
	default:
		return "", 0, false
	}
	// "1112.6209.pdf&embed": what a list glued to the path is not the id.
	if i := strings.IndexAny(rest, "&;"); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSuffix(rest, ".pdf")
	return SplitArxivID(rest)
}

// ParseGitHubURL reads the "owner/name" of a repository out of a GitHub
// link, ignoring any sub-path (tree/main, blob/…), query or fragment and a
// trailing ".git". It reports false when the URL is not on github.com or
// names no repository.
func ParseGitHubURL(raw string) (repo string, ok bool) {
	raw = strings.TrimSpace(raw)
	path, simple := simpleGitHubPath(raw)
	if !simple {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return "", false
		}
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if host != "github.com" {
			return "", false
		}
		path = u.Path
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return "", false
	}
	owner, name := parts[0], strings.TrimSuffix(parts[1], ".git")
	if !githubOwner.MatchString(owner) || !githubRepo.MatchString(name) || name == "." || name == ".." {
		return "", false
	}
	return owner + "/" + name, true
}

// simpleGitHubPath returns the path of a GitHub URL written the common way,
// "https://github.com/" and letters, digits and "/._-" only, for which
// url.Parse would give the same path; false for any other URL, which
// ParseGitHubURL then parses in full. Lists hold thousands of such links.
func simpleGitHubPath(raw string) (string, bool) {
	var rest string
	found := false
	for _, prefix := range []string{"https://github.com/", "http://github.com/", "https://www.github.com/"} {
		if rest, found = strings.CutPrefix(raw, prefix); found {
			break
		}
	}
	if !found {
		return "", false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '/' || c == '.' || c == '_' || c == '-') {
			return "", false
		}
	}
	return rest, true
}

// ValidGitHubName reports whether fullName is "owner/name" in GitHub's
// grammar: the owner letters, digits and single hyphens, neither first nor
// last, at most 39 characters; the name letters, digits, ".", "-" and "_",
// at most 100 characters, and not "." or "..". It is stricter than
// ParseGitHubURL, which reads what lists hold: it checks what an answer
// says before fix writes it.
func ValidGitHubName(fullName string) bool {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || len(owner) == 0 || len(owner) > 39 || owner[0] == '-' || owner[len(owner)-1] == '-' || strings.Contains(owner, "--") {
		return false
	}
	for i := 0; i < len(owner); i++ {
		if c := owner[i]; !(isAlnum(c) || c == '-') {
			return false
		}
	}
	if len(name) == 0 || len(name) > 100 || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(isAlnum(c) || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// RepoKey is the key under which a repository name is compared and cached:
// GitHub names are case-insensitive, so "horseee/LLM-Pruner" and
// "horseee/llm-pruner" are one repository.
func RepoKey(name string) string {
	return strings.ToLower(name)
}

// IsHTTPURL reports whether raw is an absolute http or https URL with a host.
func IsHTTPURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
