package paperlist

import "fmt"

// CheckArxiv records on p the problems its arXiv entry shows: the id is
// unknown to arXiv (arxiv_not_found), the paper was withdrawn
// (arxiv_withdrawn), or the listed title names a different paper
// (title_mismatch, with both titles). A nil entry, or one with no answer
// yet, shows none.
func CheckArxiv(p *Paper, e *Entry[ArxivRecord]) {
	if e == nil {
		return
	}
	switch {
	case e.State == StateNotFound:
		p.AddProblem(ProblemArxivNotFound, fmt.Sprintf("arXiv has no paper %s", p.ArxivID))
	case e.State == StateOK && e.Data != nil:
		rec := e.Data
		if rec.Withdrawn {
			msg := fmt.Sprintf("arXiv %s was withdrawn", p.ArxivID)
			if rec.Comment != "" {
				msg += ": " + rec.Comment
			}
			p.AddProblem(ProblemArxivWithdrawn, msg)
		}
		if p.Title != "" && rec.Title != "" && !SameTitle(p.Title, rec.Title) {
			p.AddProblem(ProblemTitleMismatch, fmt.Sprintf("listed as %q but arXiv %s is %q", p.Title, p.ArxivID, rec.Title))
		}
	}
}

// CheckRepo records on p the problems its repository entry shows: gone
// (repo_not_found), blocked or disabled (repo_unavailable, with the
// reason), archived (repo_archived), or renamed or moved (repo_renamed,
// old → new). A difference of case alone is no rename. A nil entry, or one
// with no answer yet, shows none.
func CheckRepo(p *Paper, e *Entry[RepoStats]) {
	if e == nil {
		return
	}
	switch {
	case e.State == StateNotFound:
		p.AddProblem(ProblemRepoNotFound, fmt.Sprintf("GitHub has no repository %s", p.Repo))
	case e.State == StateUnavailable:
		reason := e.Reason
		if reason == "" {
			reason = "no reason given"
		}
		p.AddProblem(ProblemRepoUnavailable, fmt.Sprintf("repository %s is unavailable: %s", p.Repo, reason))
	case e.State == StateOK && e.Data != nil:
		st := e.Data
		if st.Disabled {
			p.AddProblem(ProblemRepoUnavailable, fmt.Sprintf("repository %s is unavailable: disabled", p.Repo))
		}
		if st.Archived {
			p.AddProblem(ProblemRepoArchived, fmt.Sprintf("repository %s is archived", p.Repo))
		}
		if st.FullName != "" && RepoKey(st.FullName) != RepoKey(p.Repo) {
			p.AddProblem(ProblemRepoRenamed, fmt.Sprintf("repository %s → %s", p.Repo, st.FullName))
		}
	}
}

// CheckPage records on p the problems its landing-page entry shows: the
// listed title names a different paper than the page does
// (title_mismatch, with both titles). A nil entry, one with no answer yet
// or a page without a title shows none.
func CheckPage(p *Paper, e *Entry[PageRecord]) {
	if e == nil || e.State != StateOK || e.Data == nil {
		return
	}
	page := e.Data
	if p.Title != "" && page.Title != "" && !SameTitle(p.Title, page.Title) {
		p.AddProblem(ProblemTitleMismatch, fmt.Sprintf("listed as %q but %s is %q", p.Title, page.URL, page.Title))
	}
}
