package main

import (
	"fmt"
	"runtime/debug"
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

func userAgent() string {
	v, _ := buildVersion()
	return "paperlist/" + v + " (+https://github.com/paperlist/paperlist)"
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
