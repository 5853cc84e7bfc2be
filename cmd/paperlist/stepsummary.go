package main

import (
	"fmt"
	"os"
	"strings"
)

// stepSummaryEnv names the file GitHub Actions appends to a job's page:
// a step writes markdown to it.
const stepSummaryEnv = "GITHUB_STEP_SUMMARY"

// writeStepSummary appends to the step summary file, when the environment
// names one, a markdown table of every problem: file:line, code, message.
// heading says which command found them.
func writeStepSummary(getenv func(string) string, heading, file string, problems []located) error {
	path := getenv(stepSummaryEnv)
	if path == "" {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", summaryCell(heading))
	if len(problems) == 0 {
		b.WriteString("No problems.\n\n")
	} else {
		fmt.Fprintf(&b, "%d problems.\n\n| Where | Code | Message |\n|---|---|---|\n", len(problems))
		for i, pr := range problems {
			if i == maxSummaryRows {
				fmt.Fprintf(&b, "\n… and %d more: every problem is in papers.json (`check -out DIR` writes it).\n", len(problems)-i)
				break
			}
			// A code is one of paperlist's constants: no escaping.
			fmt.Fprintf(&b, "| %s | %s | %s |\n", summaryCell(fmt.Sprintf("%s:%d", file, pr.line)),
				"`"+pr.Code+"`", summaryCell(pr.Message))
		}
		b.WriteString("\n")
	}
	if err := appendFile(path, b.String()); err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	return nil
}

// maxSummaryRows is how many problems the step summary lists: GitHub drops
// a step summary over 1 MiB whole, and a list whose source stopped has a
// fetch_failed on every entry (a row is about 200 bytes).
const maxSummaryRows = 1000

// appendFile appends s to the file at path, creating it: how a step writes
// to the files GitHub Actions names in its environment.
func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// cellEscapes escapes what ends a table cell or starts markup or HTML.
var cellEscapes = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// summaryCell makes untrusted text (a title, a message, a file name) one
// table cell of markdown that stays text: control characters and line
// breaks go (safeText), and the characters that end a cell or start markup
// or HTML are escaped.
func summaryCell(s string) string { return cellEscapes.Replace(safeText(s)) }

// stepOutputEnv names the file a GitHub Actions step writes its outputs
// to, one name=value a line.
const stepOutputEnv = "GITHUB_OUTPUT"

// stepOutputs are what a run tells the workflow that ran it: the problems
// left (without the ignored codes), the fixes made, and whether the list
// changed.
type stepOutputs struct {
	problems, fixed int
	changed         bool
}

// writeStepOutputs appends the outputs to the step's output file, when the
// environment names one.
func writeStepOutputs(getenv func(string) string, o stepOutputs) error {
	path := getenv(stepOutputEnv)
	if path == "" {
		return nil
	}
	if err := appendFile(path, fmt.Sprintf("problems=%d\nfixed=%d\nchanged=%t\n", o.problems, o.fixed, o.changed)); err != nil {
		return fmt.Errorf("step outputs: %w", err)
	}
	return nil
}
