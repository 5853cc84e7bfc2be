package paperlist

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Names of the files WriteFiles writes.
const (
	JSONFile     = "papers.json"
	MarkdownFile = "papers.md"
)

// WriteFiles writes the dataset into the existing folder dir as papers.json
// (WriteJSON) and papers.md (WriteMarkdown with opts). Both are rendered
// before either is written, and each replaces its file atomically: it is
// written to a temporary file in dir, synced, made readable by all (0644)
// and renamed over the old one, so a reader sees the old file or the new one,
// never part of one, and a failure leaves the old file and no temporary
// file behind.
func WriteFiles(dir string, d *Dataset, opts MarkdownOptions) error {
	if err := writeFiles(dir, d, opts); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func writeFiles(dir string, d *Dataset, opts MarkdownOptions) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	var js, md bytes.Buffer
	if err := WriteJSON(&js, d); err != nil {
		return err
	}
	if err := WriteMarkdown(&md, d, opts); err != nil {
		return err
	}
	if err := writeFileAtomic(dir, JSONFile, js.Bytes()); err != nil {
		return err
	}
	return writeFileAtomic(dir, MarkdownFile, md.Bytes())
}

// writeFileAtomic replaces dir/name with data through a temporary file in
// dir, removing the temporary file on any failure.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	// CreateTemp makes the file 0600; the outputs are meant to be shared.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, name))
}
