package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/paperlist/paperlist"
)

// searchMemory keeps the answers of fix's arXiv title searches beside the
// cache, in DB.searches.json, so that fix -offline makes the same fixes
// from the cache alone. An answer is the results' ids and titles in
// arXiv's order, by search phrase; the matched paper's full record goes to
// the cache itself. A run that cannot read the file starts empty.
type searchMemory struct {
	path    string
	changed bool
	file    searchFile
}

type searchFile struct {
	Searches map[string]searchAnswer `json:"searches"`
}

type searchAnswer struct {
	At      time.Time      `json:"at"`
	Results []searchResult `json:"results"`
}

type searchResult struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// searchesPath is where the title searches of the cache at db are kept.
func searchesPath(db string) string { return db + ".searches.json" }

func openSearches(db string) *searchMemory {
	m := &searchMemory{path: searchesPath(db)}
	if b, err := os.ReadFile(m.path); err == nil {
		_ = json.Unmarshal(b, &m.file)
	}
	if m.file.Searches == nil {
		m.file.Searches = map[string]searchAnswer{}
	}
	return m
}

// get returns the remembered answer to phrase as records with an id and a
// title; nil when it was never searched.
func (m *searchMemory) get(phrase string) []*paperlist.ArxivRecord {
	a, ok := m.file.Searches[phrase]
	if !ok {
		return nil
	}
	out := make([]*paperlist.ArxivRecord, len(a.Results))
	for i, r := range a.Results {
		out[i] = &paperlist.ArxivRecord{ID: r.ID, Title: r.Title}
	}
	return out
}

func (m *searchMemory) put(phrase string, results []*paperlist.ArxivRecord, at time.Time) {
	a := searchAnswer{At: at.UTC(), Results: []searchResult{}}
	for _, r := range results {
		if r != nil {
			a.Results = append(a.Results, searchResult{ID: r.ID, Title: r.Title})
		}
	}
	m.file.Searches[phrase] = a
	m.changed = true
}

// save writes the file when a search changed it.
func (m *searchMemory) save() error {
	if !m.changed {
		return nil
	}
	b, err := json.MarshalIndent(m.file, "", "  ")
	if err != nil {
		return err
	}
	if _, err := os.Stat(m.path); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(m.path, nil, 0o600); err != nil {
			return err
		}
	}
	return writeAtomic(m.path, append(b, '\n'))
}
