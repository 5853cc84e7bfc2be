package main

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/paperlist/paperlist"
)

// buildVersion returns the module version and, where the build recorded
// it, the VCS revision and whether the tree was modified.
func buildVersion() (version, revision string) {
	version, revision = "(devel)", ""
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, revision
	}
	if info.Main.Version != "" {
		version = info.Main.Version
	}
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision != "" && modified {
		revision += "+dirty"
	}
	return version, revision
}

// userAgent is the User-Agent of every request the command sends, the
// list's fetch included.
func userAgent() string {
	v, _ := buildVersion()
	return paperlist.UserAgent(v)
}

// listClient is the client that fetches a list given as a URL: it sends
// the command's User-Agent, as every other request does.
func listClient(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: userAgentTransport{ua: userAgent(), base: http.DefaultTransport}}
}

// userAgentTransport sets the User-Agent of each request it sends.
type userAgentTransport struct {
	ua   string
	base http.RoundTripper
}

func (t userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.ua)
	return t.base.RoundTrip(req)
}

func runVersion(args []string, env Env) error {
	if len(args) > 0 {
		return &usageError{msg: "version takes no arguments"}
	}
	v, rev := buildVersion()
	if rev == "" {
		rev = "unknown revision"
	}
	_, err := fmt.Fprintf(env.Stdout, "paperlist %s %s\n", v, rev)
	return err
}
