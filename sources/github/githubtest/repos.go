// The repositories the server knows, and the changes tests make to them.

package githubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

type repoState struct {
	repo     Repo
	modified time.Time
	body     []byte
	etag     string
	block    *blockState
}

type blockState struct {
	reason  string
	created time.Time
}

// Add adds repositories, or replaces the one with the same id or name (in
// any case). A repository without an id gets one.
func (s *Server) Add(repos ...Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range repos {
		if r.ID == 0 {
			if id, ok := s.byName[strings.ToLower(r.FullName)]; ok {
				r.ID = id
			} else {
				r.ID = s.nextID
				s.nextID++
			}
		}
		r.Topics = append([]string(nil), r.Topics...)
		if old, ok := s.repos[r.ID]; ok {
			delete(s.byName, strings.ToLower(old.repo.FullName))
		}
		st := &repoState{repo: r}
		s.repos[r.ID] = st
		s.byName[strings.ToLower(r.FullName)] = r.ID
		delete(s.moved, strings.ToLower(r.FullName))
		s.touch(st)
	}
}

// touch renders a repository's body anew, with a new ETag and Last-Modified.
func (s *Server) touch(st *repoState) {
	st.modified = s.now().UTC().Truncate(time.Second)
	st.body = repoBody(s.URL(), &st.repo, st.modified)
	sum := sha256.Sum256(st.body)
	st.etag = `W/"` + hex.EncodeToString(sum[:]) + `"`
}

func (s *Server) lookup(fullName string) (*repoState, error) {
	id, ok := s.byName[strings.ToLower(fullName)]
	if !ok {
		return nil, fmt.Errorf("githubtest: no repository %q", fullName)
	}
	return s.repos[id], nil
}

// Rename renames a repository (or moves it to another owner): its old
// name then answers 301 with Location /repositories/ID, as GitHub does.
func (s *Server) Rename(oldFullName, newFullName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.lookup(oldFullName)
	if err != nil {
		return err
	}
	if _, taken := s.byName[strings.ToLower(newFullName)]; taken && !strings.EqualFold(oldFullName, newFullName) {
		return fmt.Errorf("githubtest: %q already exists", newFullName)
	}
	delete(s.byName, strings.ToLower(st.repo.FullName))
	s.moved[strings.ToLower(st.repo.FullName)] = st.repo.ID
	st.repo.FullName = newFullName
	s.byName[strings.ToLower(newFullName)] = st.repo.ID
	delete(s.moved, strings.ToLower(newFullName))
	s.touch(st)
	return nil
}

// Block makes a repository answer 451 with the given block reason (such as
// "dmca"), by name and by id.
func (s *Server) Block(fullName, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.lookup(fullName)
	if err != nil {
		return err
	}
	st.block = &blockState{reason: reason, created: s.now().UTC().Truncate(time.Second)}
	return nil
}

// SetStars changes a repository's star count, and so its body, ETag and
// Last-Modified.
func (s *Server) SetStars(fullName string, stars int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.lookup(fullName)
	if err != nil {
		return err
	}
	st.repo.Stars = stars
	s.touch(st)
	return nil
}
