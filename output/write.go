package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/paperlist/paperlist"
)

// Names of the files WriteFiles writes.
const (
	JSONFile     = "papers.json"
	MarkdownFile = "papers.md"
)

// WriteFiles writes the dataset into the existing folder dir as papers.json
// (WriteJSON) and papers.md (WriteMarkdown with opts). The options and the
// dataset are checked before anything is written. Each file is streamed to
// a temporary file in dir, synced and made readable by all (0644); only when
// both are complete are they renamed over the old ones, so a reader sees
// the old file or the new one, never part of one, and a failure leaves the
// old files and no temporary file behind.
func WriteFiles(dir string, d *paperlist.Dataset, opts MarkdownOptions) error {
	if err := writeFiles(dir, d, opts); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func writeFiles(dir string, d *paperlist.Dataset, opts MarkdownOptions) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if err := opts.Validate(); err != nil {
		return err
	}
	if err := checkDataset(d); err != nil {
		return err
	}
	plan, err := planMarkdown(d, opts)
	if err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	// The two files are written at once: each takes about as long as the
	// other, and the dataset is only read. When papers.md lists the papers
	// in list order, as papers.json does, their records are read once for
	// both.
	jsonRd, mdRd := paperReader(newChunkReader(d)), paperReader(nil)
	if plan.inOrder {
		mdRd = newChunkReader(d)
		if d.Enrich != nil {
			f := startFeed(d, 2)
			defer f.wait()
			jr, mr := f.readers[0], f.readers[1]
			defer jr.close()
			defer mr.close()
			jsonRd, mdRd = jr, mr
		}
	}
	var (
		md    string
		mdErr error
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		md, mdErr = WriteTemp(dir, tempPattern(MarkdownFile), 0o644, func(w io.Writer) error {
			if err := writeMarkdown(w, d, opts, plan, mdRd); err != nil {
				return fmt.Errorf("write markdown: %w", err)
			}
			return nil
		})
	})
	js, err := WriteTemp(dir, tempPattern(JSONFile), 0o644, func(w io.Writer) error {
		if err := writeJSON(w, d, jsonRd); err != nil {
			return fmt.Errorf("write json: %w", err)
		}
		return nil
	})
	wg.Wait()
	if err != nil || mdErr != nil {
		for _, tmp := range []string{js, md} {
			if tmp != "" {
				os.Remove(tmp)
			}
		}
		return errors.Join(err, mdErr)
	}
	if err := os.Rename(js, filepath.Join(dir, JSONFile)); err != nil {
		os.Remove(js)
		os.Remove(md)
		return err
	}
	if err := os.Rename(md, filepath.Join(dir, MarkdownFile)); err != nil {
		os.Remove(md)
		return err
	}
	return nil
}

// tempPattern is the pattern of the temporary files that stand for name
// until they are renamed over it.
func tempPattern(name string) string { return "." + name + ".*.tmp" }

// checkDataset reports an error when d cannot be written at all: it is nil
// or lacks a paper.
func checkDataset(d *paperlist.Dataset) error {
	if d == nil {
		return errors.New("no dataset")
	}
	for i, p := range d.Papers {
		if p == nil {
			return fmt.Errorf("paper %d is missing", i+1)
		}
	}
	return nil
}
