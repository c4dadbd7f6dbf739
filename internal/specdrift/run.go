package specdrift

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit codes of [Run].
const (
	ExitOK    = 0 // every difference is a listed deviation
	ExitDrift = 1 // at least one difference is not listed
	ExitUsage = 2 // bad flags, or a document or the deviations file did not load
)

// Run is the specdrift command: it parses args (without the program name),
// compares the documents, prints one line per difference to stdout, warns on
// stderr about listed deviations that no longer occur, and returns the exit
// code.
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specdrift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	upstream := fs.String("upstream", "", "Telnyx OpenAPI document to compare with (required)")
	ours := fs.String("ours", "openapi.yaml", "our OpenAPI document")
	devPath := fs.String("deviations", "spec/deviations.yaml", "deliberate deviations, each with a reason")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: specdrift -upstream <file> [-ours openapi.yaml] [-deviations spec/deviations.yaml]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if *upstream == "" || fs.NArg() != 0 {
		fs.Usage()
		return ExitUsage
	}
	devs, err := LoadDeviations(*devPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	ourDoc, err := LoadFile(*ours)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	upDoc, err := LoadFile(*upstream)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	report := devs.Classify(Compare(ourDoc, upDoc))
	fmt.Fprintf(stdout, "specdrift: %s (%d operations) vs %s (OpenAPI %s)\n",
		*ours, len(operations(ourDoc)), *upstream, upDoc.OpenAPI)
	for _, l := range report.Listed {
		fmt.Fprintf(stdout, "listed:   %s\n", l.Difference)
	}
	for _, d := range report.Unlisted {
		fmt.Fprintf(stdout, "UNLISTED: %s\n", d)
	}
	for _, dev := range report.Stale {
		fmt.Fprintf(stderr, "warning: deviation no longer occurs: %s\n", dev.Key())
	}
	fmt.Fprintf(stdout, "specdrift: %d differences, %d listed in %s, %d unlisted\n",
		len(report.Listed)+len(report.Unlisted), len(report.Listed), *devPath, len(report.Unlisted))
	if len(report.Unlisted) > 0 {
		return ExitDrift
	}
	return ExitOK
}
