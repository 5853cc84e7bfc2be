package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Endpoints name the servers the records of each source come from, by
// the host and path of their base URL ("ghe.example.com/api/v3"); "" is
// the source's default server, which is what
// a file that never recorded an endpoint holds, so the caches of runs
// against the default servers stay valid as they are.
type Endpoints struct {
	Arxiv, GitHub string
	// SemanticScholar is the endpoint of the citation records.
	SemanticScholar string
}

// The meta keys under which a file records the endpoint of a source.
var (
	keyArxivEndpoint  = []byte("endpoint_arxiv")
	keyGitHubEndpoint = []byte("endpoint_github")
	keyS2Endpoint     = []byte("endpoint_semanticscholar")
)

// UseEndpoints makes the store serve only records from the given
// endpoints: for each source whose records came from another endpoint, it
// drops them (arXiv: its records; GitHub: repositories, listed names and
// star history) and records the new endpoint. It returns the names of the
// sources whose dropped records were some. Landing pages are their own URLs and are kept.
func (s *Store) UseEndpoints(e Endpoints) ([]string, error) {
	type source struct {
		name     string
		key      []byte
		endpoint string
		buckets  [][]byte
	}
	sources := []source{
		{"arxiv", keyArxivEndpoint, e.Arxiv, [][]byte{bucketArxiv, bucketTitleMatches}},
		{"github", keyGitHubEndpoint, e.GitHub, [][]byte{bucketRepos, bucketRepoNames, bucketHistory}},
		{"semantic_scholar", keyS2Endpoint, e.SemanticScholar, [][]byte{bucketCitations}},
	}
	var changed []source
	err := s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for _, src := range sources {
			if !bytes.Equal(meta.Get(src.key), []byte(src.endpoint)) {
				changed = append(changed, src)
			}
		}
		return nil
	})
	if err != nil || len(changed) == 0 {
		return nil, wrapEndpoints(err)
	}
	var dropped []string
	err = s.write(func(tx *bolt.Tx) error {
		dropped = dropped[:0]
		meta := tx.Bucket(bucketMeta)
		for _, src := range changed {
			had := false
			for _, name := range src.buckets {
				if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
					had = true
				}
				if err := tx.DeleteBucket(name); err != nil {
					return fmt.Errorf("drop bucket %s: %w", name, err)
				}
				if _, err := tx.CreateBucket(name); err != nil {
					return fmt.Errorf("create bucket %s: %w", name, err)
				}
			}
			if had {
				dropped = append(dropped, src.name)
			}
			var err error
			if src.endpoint == "" {
				err = meta.Delete(src.key)
			} else {
				err = meta.Put(src.key, []byte(src.endpoint))
			}
			if err != nil {
				return fmt.Errorf("record endpoint of %s: %w", src.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrapEndpoints(err)
	}
	return dropped, nil
}

func wrapEndpoints(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: endpoints: %w", err)
}
