package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// launchReport is the variable that makes paperbench a launcher: it runs
// the command of its arguments and writes the child's peak memory (KiB)
// and wall time (ns) to the file the variable names.
//
// The peak memory a parent reads of its child counts what the child's
// address space held before it exec'd, and Go starts children with vfork,
// sharing the parent's: a child of paperbench, which holds the servers and
// their logs, reads at least paperbench's own size (a 150 MB paperbench
// gave /bin/true a peak of 152 MB). A launcher is a small process, so the
// peak of its child is the child's own.
const launchReport = "PAPERBENCH_LAUNCH_REPORT"

// launch runs as the launcher when paperbench was started as one; it
// never returns then.
func launch() {
	report := os.Getenv(launchReport)
	if report == "" {
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "paperbench launcher: no command")
		os.Exit(127)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, launchReport+"=") })
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintf(os.Stderr, "paperbench launcher: %v\n", err)
		os.Exit(127)
	}
	if err := os.WriteFile(report, fmt.Appendf(nil, "%d %d\n", maxRSSKiB(cmd.ProcessState), wall.Nanoseconds()), 0o600); err != nil {
		fmt.Fprintf(os.Stderr, "paperbench launcher: %v\n", err)
		os.Exit(127)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}

// launched is a command that runs name with args through a launcher, and
// the file its measures arrive in.
func launched(dir, name string, args ...string) (*exec.Cmd, string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, "", fmt.Errorf("find paperbench itself: %w", err)
	}
	report := filepath.Join(dir, "launch-report")
	_ = os.Remove(report)
	cmd := exec.Command(self, append([]string{name}, args...)...)
	cmd.Env = []string{launchReport + "=" + report}
	return cmd, report, nil
}

// readLaunchReport reads what a launcher wrote of its child.
func readLaunchReport(path string) (maxRSSKiB int64, wall time.Duration, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, fmt.Errorf("the launcher's report: %w", err)
	}
	var ns int64
	if _, err := fmt.Sscanf(string(b), "%d %d", &maxRSSKiB, &ns); err != nil {
		return 0, 0, fmt.Errorf("the launcher's report %q: %w", b, err)
	}
	return maxRSSKiB, time.Duration(ns), nil
}
