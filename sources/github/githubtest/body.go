package githubtest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// account is the owner object of a repository, shaped like GitHub's
// simple-user.
type account struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	SiteAdmin         bool   `json:"site_admin"`
}

// license is a repository's license as GET /repos/{owner}/{repo} gives it.
type license struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	SPDXID string  `json:"spdx_id"`
	URL    *string `json:"url"`
	NodeID string  `json:"node_id"`
}

// repoJSON is the full repository object of GET /repos/{owner}/{repo}, with
// the fields in the order of the recorded get_repo_200.json.
type repoJSON struct {
	ID                       int64    `json:"id"`
	NodeID                   string   `json:"node_id"`
	Name                     string   `json:"name"`
	FullName                 string   `json:"full_name"`
	Private                  bool     `json:"private"`
	Owner                    account  `json:"owner"`
	HTMLURL                  string   `json:"html_url"`
	Description              *string  `json:"description"`
	Fork                     bool     `json:"fork"`
	URL                      string   `json:"url"`
	ForksURL                 string   `json:"forks_url"`
	KeysURL                  string   `json:"keys_url"`
	CollaboratorsURL         string   `json:"collaborators_url"`
	TeamsURL                 string   `json:"teams_url"`
	HooksURL                 string   `json:"hooks_url"`
	IssueEventsURL           string   `json:"issue_events_url"`
	EventsURL                string   `json:"events_url"`
	AssigneesURL             string   `json:"assignees_url"`
	BranchesURL              string   `json:"branches_url"`
	TagsURL                  string   `json:"tags_url"`
	BlobsURL                 string   `json:"blobs_url"`
	GitTagsURL               string   `json:"git_tags_url"`
	GitRefsURL               string   `json:"git_refs_url"`
	TreesURL                 string   `json:"trees_url"`
	StatusesURL              string   `json:"statuses_url"`
	LanguagesURL             string   `json:"languages_url"`
	StargazersURL            string   `json:"stargazers_url"`
	ContributorsURL          string   `json:"contributors_url"`
	SubscribersURL           string   `json:"subscribers_url"`
	SubscriptionURL          string   `json:"subscription_url"`
	CommitsURL               string   `json:"commits_url"`
	GitCommitsURL            string   `json:"git_commits_url"`
	CommentsURL              string   `json:"comments_url"`
	IssueCommentURL          string   `json:"issue_comment_url"`
	ContentsURL              string   `json:"contents_url"`
	CompareURL               string   `json:"compare_url"`
	MergesURL                string   `json:"merges_url"`
	ArchiveURL               string   `json:"archive_url"`
	DownloadsURL             string   `json:"downloads_url"`
	IssuesURL                string   `json:"issues_url"`
	PullsURL                 string   `json:"pulls_url"`
	MilestonesURL            string   `json:"milestones_url"`
	NotificationsURL         string   `json:"notifications_url"`
	LabelsURL                string   `json:"labels_url"`
	ReleasesURL              string   `json:"releases_url"`
	DeploymentsURL           string   `json:"deployments_url"`
	CreatedAt                string   `json:"created_at"`
	UpdatedAt                string   `json:"updated_at"`
	PushedAt                 string   `json:"pushed_at"`
	GitURL                   string   `json:"git_url"`
	SSHURL                   string   `json:"ssh_url"`
	CloneURL                 string   `json:"clone_url"`
	SVNURL                   string   `json:"svn_url"`
	Homepage                 *string  `json:"homepage"`
	Size                     int      `json:"size"`
	StargazersCount          int      `json:"stargazers_count"`
	WatchersCount            int      `json:"watchers_count"`
	Language                 *string  `json:"language"`
	HasIssues                bool     `json:"has_issues"`
	HasProjects              bool     `json:"has_projects"`
	HasDownloads             bool     `json:"has_downloads"`
	HasWiki                  bool     `json:"has_wiki"`
	HasPages                 bool     `json:"has_pages"`
	ForksCount               int      `json:"forks_count"`
	MirrorURL                *string  `json:"mirror_url"`
	Archived                 bool     `json:"archived"`
	Disabled                 bool     `json:"disabled"`
	OpenIssuesCount          int      `json:"open_issues_count"`
	License                  *license `json:"license"`
	AllowForking             bool     `json:"allow_forking"`
	IsTemplate               bool     `json:"is_template"`
	WebCommitSignoffRequired bool     `json:"web_commit_signoff_required"`
	Topics                   []string `json:"topics"`
	Visibility               string   `json:"visibility"`
	Forks                    int      `json:"forks"`
	OpenIssues               int      `json:"open_issues"`
	Watchers                 int      `json:"watchers"`
	DefaultBranch            string   `json:"default_branch"`
	NetworkCount             int      `json:"network_count"`
	SubscribersCount         int      `json:"subscribers_count"`
}

// licenseNames gives the display names of the licenses the tests use; any
// other SPDX id is shown under its id.
var licenseNames = map[string]string{
	"Apache-2.0":   "Apache License 2.0",
	"MIT":          "MIT License",
	"BSD-3-Clause": `BSD 3-Clause "New" or "Revised" License`,
	"GPL-3.0":      "GNU General Public License v3.0",
	"NOASSERTION":  "Other",
}

// repoBody renders r as GitHub's repository object, with the API URLs under
// apiBase (ending with "/") and updated_at at modified.
func repoBody(apiBase string, r *Repo, modified time.Time) []byte {
	owner, name, _ := strings.Cut(r.FullName, "/")
	api := apiBase + "repos/" + r.FullName
	web := "https://github.com/" + r.FullName
	user := apiBase + "users/" + owner
	ownerID := int64(len(owner))*1000003 + 7
	topics := r.Topics
	if topics == nil {
		topics = []string{}
	}
	branch := r.DefaultBranch
	if branch == "" {
		branch = "main"
	}
	created, pushed := r.CreatedAt, r.PushedAt
	if created.IsZero() {
		created = modified
	}
	if pushed.IsZero() {
		pushed = created
	}
	var lic *license
	if r.License != "" {
		lic = &license{Key: strings.ToLower(r.License), Name: r.License, SPDXID: r.License, NodeID: "MDc6TGljZW5zZTA="}
		if n, ok := licenseNames[r.License]; ok {
			lic.Name = n
		}
		if r.License != "NOASSERTION" {
			u := apiBase + "licenses/" + lic.Key
			lic.URL = &u
		}
	}
	v := repoJSON{
		ID:       r.ID,
		NodeID:   "R_test" + name,
		Name:     name,
		FullName: r.FullName,
		Owner: account{
			Login: owner, ID: ownerID, NodeID: "U_test" + owner,
			AvatarURL:         "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(ownerID, 10) + "?v=4",
			URL:               user,
			HTMLURL:           "https://github.com/" + owner,
			FollowersURL:      user + "/followers",
			FollowingURL:      user + "/following{/other_user}",
			GistsURL:          user + "/gists{/gist_id}",
			StarredURL:        user + "/starred{/owner}{/repo}",
			SubscriptionsURL:  user + "/subscriptions",
			OrganizationsURL:  user + "/orgs",
			ReposURL:          user + "/repos",
			EventsURL:         user + "/events{/privacy}",
			ReceivedEventsURL: user + "/received_events",
			Type:              "User",
		},
		HTMLURL:                  web,
		Description:              optional(r.Description),
		Fork:                     r.Fork,
		URL:                      api,
		ForksURL:                 api + "/forks",
		KeysURL:                  api + "/keys{/key_id}",
		CollaboratorsURL:         api + "/collaborators{/collaborator}",
		TeamsURL:                 api + "/teams",
		HooksURL:                 api + "/hooks",
		IssueEventsURL:           api + "/issues/events{/number}",
		EventsURL:                api + "/events",
		AssigneesURL:             api + "/assignees{/user}",
		BranchesURL:              api + "/branches{/branch}",
		TagsURL:                  api + "/tags",
		BlobsURL:                 api + "/git/blobs{/sha}",
		GitTagsURL:               api + "/git/tags{/sha}",
		GitRefsURL:               api + "/git/refs{/sha}",
		TreesURL:                 api + "/git/trees{/sha}",
		StatusesURL:              api + "/statuses/{sha}",
		LanguagesURL:             api + "/languages",
		StargazersURL:            api + "/stargazers",
		ContributorsURL:          api + "/contributors",
		SubscribersURL:           api + "/subscribers",
		SubscriptionURL:          api + "/subscription",
		CommitsURL:               api + "/commits{/sha}",
		GitCommitsURL:            api + "/git/commits{/sha}",
		CommentsURL:              api + "/comments{/number}",
		IssueCommentURL:          api + "/issues/comments{/number}",
		ContentsURL:              api + "/contents/{+path}",
		CompareURL:               api + "/compare/{base}...{head}",
		MergesURL:                api + "/merges",
		ArchiveURL:               api + "/{archive_format}{/ref}",
		DownloadsURL:             api + "/downloads",
		IssuesURL:                api + "/issues{/number}",
		PullsURL:                 api + "/pulls{/number}",
		MilestonesURL:            api + "/milestones{/number}",
		NotificationsURL:         api + "/notifications{?since,all,participating}",
		LabelsURL:                api + "/labels{/name}",
		ReleasesURL:              api + "/releases{/id}",
		DeploymentsURL:           api + "/deployments",
		CreatedAt:                created.UTC().Format(time.RFC3339),
		UpdatedAt:                modified.UTC().Format(time.RFC3339),
		PushedAt:                 pushed.UTC().Format(time.RFC3339),
		GitURL:                   "git://github.com/" + r.FullName + ".git",
		SSHURL:                   "git@github.com:" + r.FullName + ".git",
		CloneURL:                 web + ".git",
		SVNURL:                   web,
		Homepage:                 optional(r.Homepage),
		Size:                     len(r.FullName) * 97,
		StargazersCount:          r.Stars,
		WatchersCount:            r.Stars,
		Language:                 optional(r.Language),
		HasIssues:                true,
		HasProjects:              true,
		HasDownloads:             true,
		HasWiki:                  true,
		ForksCount:               r.Forks,
		Archived:                 r.Archived,
		Disabled:                 r.Disabled,
		OpenIssuesCount:          r.OpenIssues,
		License:                  lic,
		AllowForking:             true,
		WebCommitSignoffRequired: false,
		Topics:                   topics,
		Visibility:               "public",
		Forks:                    r.Forks,
		OpenIssues:               r.OpenIssues,
		Watchers:                 r.Stars,
		DefaultBranch:            branch,
		NetworkCount:             r.Forks,
		SubscribersCount:         r.Watchers,
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only strings, numbers and booleans go in: this cannot fail.
		panic("githubtest: marshal repository: " + err.Error())
	}
	return b
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
