package output

import (
	"bufio"
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

// writeBufferSize is the buffer between a writer and its file: large
// enough that a 26 MB papers.json costs a few hundred writes, not thousands.
const writeBufferSize = 64 << 10

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
	// The two files are written at once: each takes about as long as the
	// other, and the dataset is only read.
	var (
		md    string
		mdErr error
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		md, mdErr = writeTemp(dir, MarkdownFile, func(w io.Writer) error { return WriteMarkdown(w, d, opts) })
	})
	js, err := writeTemp(dir, JSONFile, func(w io.Writer) error { return WriteJSON(w, d) })
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

// writeTemp streams write's output through a buffer into a new temporary
// file in dir named after name, syncs it, makes it readable by all (0644)
// and closes it, returning its path. On any failure the temporary file is
// removed.
func writeTemp(dir, name string, write func(io.Writer) error) (path string, err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, writeBufferSize)
	if err := write(bw); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	// CreateTemp makes the file 0600; the outputs are meant to be shared.
	if err := f.Chmod(0o644); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}
