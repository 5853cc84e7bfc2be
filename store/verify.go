package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
)

// The on-disk format of a bbolt file (version 2), as far as verify needs
// it. Every number is in the byte order of the machine that wrote it.
//
// A page starts with a 16-byte header: its id (8 bytes), flags (2), element
// count (2) and the number of overflow pages that follow it (4). A meta
// page's body is magic (4), version (4), page size (4), flags (4), the root
// bucket (its root page id, 8, and sequence, 8), the freelist's page id
// (8), the high-water mark of page ids (8), the transaction id (8) and an
// FNV-64a checksum (8) of all that comes before it. A branch page's
// elements are 16 bytes each: the key's position relative to the element
// (4), key size (4), child page id (8); a leaf page's: flags (4), position
// (4), key size (4), value size (4). A freelist page lists page ids of 8
// bytes; a count of 0xFFFF means the real count is the first of them. A
// bucket's value is its root page id (8) and sequence (8), followed, when
// the root is 0, by an inline leaf page.
const (
	pageHeaderSize  = 16
	elementSize     = 16
	metaChecksumEnd = 56 // the meta fields before the checksum
	bucketHeader    = 16

	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagFreelist = 0x10
	flagBucket   = 0x01 // of a leaf element

	boltVersion  = 2
	noFreelist   = ^uint64(0)
	firstDataPgs = 2 // pages 0 and 1 are the meta pages
	// maxDepth bounds the walk's recursion: branch levels plus nested
	// buckets. A real file is a few levels deep.
	maxDepth = 256
)

var ne = binary.NativeEndian

// fileMeta is a meta page's body.
type fileMeta struct {
	pageSize       uint64
	root, freelist uint64
	hwm            uint64 // page ids are below it
	txid           uint64
}

// parseMeta decodes the meta page body in b and reports whether it is valid
// the way bbolt checks it: magic, version and checksum.
func parseMeta(b []byte) (fileMeta, bool) {
	if len(b) < pageHeaderSize+metaChecksumEnd+8 {
		return fileMeta{}, false
	}
	body := b[pageHeaderSize:]
	if ne.Uint32(body) != boltMagic || ne.Uint32(body[4:]) != boltVersion {
		return fileMeta{}, false
	}
	h := fnv.New64a()
	h.Write(body[:metaChecksumEnd])
	if h.Sum64() != ne.Uint64(body[metaChecksumEnd:]) {
		return fileMeta{}, false
	}
	return fileMeta{
		pageSize: uint64(ne.Uint32(body[8:])),
		root:     ne.Uint64(body[16:]),
		freelist: ne.Uint64(body[32:]),
		hwm:      ne.Uint64(body[40:]),
		txid:     ne.Uint64(body[48:]),
	}, true
}

// verify reads the bbolt file f of size bytes with plain reads and returns
// an error unless every page bbolt will touch when it opens and reads the
// file is whole: the meta page bbolt will use, the freelist, and every page
// of every bucket's B+tree, each within the file, of the right type, and
// with its elements within its own bytes. bbolt maps the file into memory
// and trusts it: a page past the end of the file or an element pointing
// outside its page is a fault that no recover catches, so a file is
// verified before bbolt sees it.
//
// The meta page is chosen as bbolt chooses it: of the valid ones (magic,
// version, checksum), the one with the highest transaction id. The walk
// reads each page once; a page reached twice, which bbolt never writes, is
// damage too. verify returns the meta page it checked.
func verify(f io.ReaderAt, size int64) (fileMeta, error) {
	m, err := chooseMeta(f, size)
	if err != nil {
		return m, err
	}
	switch {
	case m.hwm < firstDataPgs+2 || m.hwm > uint64(size)/m.pageSize:
		return m, fmt.Errorf("the meta page claims %d pages of %d bytes, the file holds %d bytes", m.hwm, m.pageSize, size)
	case m.root < firstDataPgs || m.root >= m.hwm:
		return m, fmt.Errorf("root page %d is outside the file's %d pages", m.root, m.hwm)
	}
	w := &walker{f: f, pageSize: m.pageSize, hwm: m.hwm, seen: make([]uint64, (m.hwm+63)/64)}
	if m.freelist != noFreelist {
		if err := w.freelist(m.freelist); err != nil {
			return m, err
		}
	}
	return m, w.tree(m.root, 0)
}

// chooseMeta finds the page size as bbolt does (from the first meta page,
// else from a second one at a power of two from 1 KiB), then returns the
// valid meta page of the two with the highest transaction id.
func chooseMeta(f io.ReaderAt, size int64) (fileMeta, error) {
	buf := make([]byte, pageHeaderSize+metaChecksumEnd+8)
	read := func(off int64) (fileMeta, bool) {
		if off+int64(len(buf)) > size {
			return fileMeta{}, false
		}
		if _, err := f.ReadAt(buf, off); err != nil {
			return fileMeta{}, false
		}
		return parseMeta(buf)
	}
	var pageSize uint64
	if m, ok := read(0); ok {
		pageSize = m.pageSize
	} else {
		for pos := int64(1024); pos < size-1024 && pos <= 1024<<14; pos *= 2 {
			if m, ok := read(pos); ok {
				pageSize = m.pageSize
				break
			}
		}
	}
	if pageSize < 512 || pageSize > 1<<24 || pageSize&(pageSize-1) != 0 {
		return fileMeta{}, errors.New("no valid meta page")
	}
	m0, ok0 := read(0)
	m1, ok1 := read(int64(pageSize))
	ok0 = ok0 && m0.pageSize == pageSize
	ok1 = ok1 && m1.pageSize == pageSize
	switch {
	case ok0 && (!ok1 || m0.txid >= m1.txid):
		return m0, nil
	case ok1:
		return m1, nil
	}
	return fileMeta{}, errors.New("no valid meta page")
}

// walker reads pages of one file, each at most once.
type walker struct {
	f        io.ReaderAt
	pageSize uint64
	hwm      uint64
	seen     []uint64 // a bit per page id
}

// page is the header of a page that the walk reached.
type page struct {
	id, off       uint64 // its id and offset in the file
	flags         uint16
	count, extent uint64 // elements; bytes, overflow pages included
}

// page reads the header of the page id, checking that the page with its
// overflow pages lies below the high-water mark, carries its own id and
// flags among want, and was not reached before.
func (w *walker) page(id uint64, want uint16) (page, error) {
	if id < firstDataPgs || id >= w.hwm {
		return page{}, fmt.Errorf("page id %d is outside the file's %d pages", id, w.hwm)
	}
	var hdr [pageHeaderSize]byte
	if _, err := w.f.ReadAt(hdr[:], int64(id*w.pageSize)); err != nil {
		return page{}, fmt.Errorf("page %d: %w", id, err)
	}
	overflow := uint64(ne.Uint32(hdr[12:]))
	flags := ne.Uint16(hdr[8:])
	switch {
	case ne.Uint64(hdr[:]) != id:
		return page{}, fmt.Errorf("page %d carries the id %d", id, ne.Uint64(hdr[:]))
	case flags&want == 0 || flags&^want != 0:
		return page{}, fmt.Errorf("page %d has flags %#x, want %#x", id, flags, want)
	case overflow >= w.hwm-id:
		return page{}, fmt.Errorf("page %d runs %d pages past the file's %d", id, overflow, w.hwm)
	}
	for p := id; p <= id+overflow; p++ {
		if w.seen[p/64]&(1<<(p%64)) != 0 {
			return page{}, fmt.Errorf("page %d is reached twice", p)
		}
		w.seen[p/64] |= 1 << (p % 64)
	}
	return page{id: id, off: id * w.pageSize, flags: flags, count: uint64(ne.Uint16(hdr[10:])), extent: (overflow + 1) * w.pageSize}, nil
}

// read reads n bytes at off within the page p.
func (w *walker) read(p page, off, n uint64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := w.f.ReadAt(buf, int64(p.off+off)); err != nil {
		return nil, fmt.Errorf("page %d: %w", p.id, err)
	}
	return buf, nil
}

func (w *walker) freelist(id uint64) error {
	p, err := w.page(id, flagFreelist)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	start, count := uint64(pageHeaderSize), p.count
	if count == 0xFFFF {
		if p.extent < pageHeaderSize+8 {
			return fmt.Errorf("freelist page %d is cut short", id)
		}
		b, err := w.read(p, pageHeaderSize, 8)
		if err != nil {
			return err
		}
		start, count = pageHeaderSize+8, ne.Uint64(b)
	}
	if count > (p.extent-start)/8 {
		return fmt.Errorf("freelist page %d lists %d ids, more than it holds", id, count)
	}
	ids, err := w.read(p, start, 8*count)
	if err != nil {
		return err
	}
	for i := range count {
		if free := ne.Uint64(ids[8*i:]); free < firstDataPgs || free >= w.hwm {
			return fmt.Errorf("freelist page %d lists page %d, outside the file's %d pages", id, free, w.hwm)
		}
	}
	return nil
}

// tree checks the B+tree whose root is the page id. Only headers, element
// arrays and the values of bucket elements are read: everything else a read
// touches lies within the bounds checked.
func (w *walker) tree(id uint64, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("page %d is nested more than %d levels deep", id, maxDepth)
	}
	p, err := w.page(id, flagBranch|flagLeaf)
	if err != nil {
		return err
	}
	if p.count == 0 && p.flags == flagBranch || pageHeaderSize+p.count*elementSize > p.extent {
		return fmt.Errorf("page %d has %d elements for its %d bytes", id, p.count, p.extent)
	}
	elems, err := w.read(p, pageHeaderSize, p.count*elementSize)
	if err != nil {
		return err
	}
	if p.flags == flagLeaf {
		value := func(off, n uint64) ([]byte, error) { return w.read(p, off, n) }
		return w.leaf(elems, p.extent, value, fmt.Sprint("page ", id), depth)
	}
	for i := range p.count {
		e := i * elementSize
		pos, ksize := uint64(ne.Uint32(elems[e:])), uint64(ne.Uint32(elems[e+4:]))
		if pageHeaderSize+e+pos+ksize > p.extent {
			return fmt.Errorf("branch page %d, element %d lies outside the page", id, i)
		}
		if err := w.tree(ne.Uint64(elems[e+8:]), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// leaf checks the elements of a leaf page (a page of the file, or a
// bucket's inline page) of extent bytes whose element array is elems, and
// the bucket that each bucket element holds; value reads bytes of the page
// by offset.
func (w *walker) leaf(elems []byte, extent uint64, value func(off, n uint64) ([]byte, error), where string, depth int) error {
	for i := range uint64(len(elems)) / elementSize {
		e := i * elementSize
		flags := ne.Uint32(elems[e:])
		pos, ksize, vsize := uint64(ne.Uint32(elems[e+4:])), uint64(ne.Uint32(elems[e+8:])), uint64(ne.Uint32(elems[e+12:]))
		end := pageHeaderSize + e + pos + ksize + vsize
		if end > extent {
			return fmt.Errorf("leaf %s, element %d lies outside the page", where, i)
		}
		if flags&flagBucket == 0 {
			continue
		}
		if vsize < bucketHeader {
			return fmt.Errorf("leaf %s, element %d is a bucket of %d bytes", where, i, vsize)
		}
		v, err := value(end-vsize, vsize)
		if err != nil {
			return err
		}
		if root := ne.Uint64(v); root != 0 {
			if err := w.tree(root, depth+1); err != nil {
				return err
			}
			continue
		}
		inline := v[bucketHeader:]
		if len(inline) < pageHeaderSize || ne.Uint16(inline[8:]) != flagLeaf {
			return fmt.Errorf("leaf %s, element %d is an inline bucket without a leaf page", where, i)
		}
		count := uint64(ne.Uint16(inline[10:]))
		if depth >= maxDepth || pageHeaderSize+count*elementSize > uint64(len(inline)) {
			return fmt.Errorf("leaf %s, element %d is a damaged inline bucket", where, i)
		}
		inlineValue := func(off, n uint64) ([]byte, error) { return inline[off : off+n], nil }
		if err := w.leaf(inline[pageHeaderSize:pageHeaderSize+count*elementSize], uint64(len(inline)), inlineValue, fmt.Sprintf("%s, inline bucket %d", where, i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// boltMagic is the number bbolt writes into each of a file's two meta pages,
// 16 bytes into the page (after the page header), in the byte order of the
// machine.
const boltMagic = 0xED0CDAED

// checkFile looks at the file before bbolt opens it: a read-only open needs
// a file with content, and a file with content must carry bbolt's magic
// number in one of its meta pages and pass verify: bbolt maps the file and
// trusts its pages, so a damaged one must be refused before bbolt sees it.
// The file is verified under the lock bbolt takes, so that no writer
// commits meanwhile. A read-only open of a file that a writer holds
// verifies and returns a snapshot of it instead, for bbolt to open.
func checkFile(path string, opts Options) (snapshot string, err error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.ReadOnly:
		return "", fmt.Errorf("store: cache %s does not exist: %w", path, err)
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("store: open: %w", err)
	case info.IsDir():
		return "", fmt.Errorf("store: cache %s is a directory", path)
	case info.Size() == 0 && opts.ReadOnly:
		return "", fmt.Errorf("store: cache %s is empty: %w", path, fs.ErrNotExist)
	case info.Size() == 0:
		// bbolt writes a new database into an empty file.
		return "", nil
	}

	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("store: open: %w", err)
	}
	defer f.Close()
	if err := checkMagic(f, path, info.Size()); err != nil {
		return "", err
	}
	wait := opts.Timeout
	if opts.ReadOnly {
		wait = 0
	}
	switch err := lockFile(f, !opts.ReadOnly, wait); {
	case errors.Is(err, errWouldBlock) && opts.ReadOnly:
		return snapshotOf(path)
	case errors.Is(err, errWouldBlock):
		return "", lockedError(path, opts.Timeout)
	case err != nil:
		return "", fmt.Errorf("store: lock %s: %w", path, err)
	}
	defer unlockFile(f)
	if info, err = f.Stat(); err != nil {
		return "", fmt.Errorf("store: open: %w", err)
	}
	if _, err := verify(f, info.Size()); err != nil {
		return "", &corruptError{path: path, what: err.Error()}
	}
	return "", nil
}

// checkMagic returns an error unless bbolt's magic number is in one of the
// file's meta pages.
func checkMagic(f *os.File, path string, size int64) error {
	// The first meta page is at offset 0; bbolt looks for the second one,
	// whose offset is the page size, at every power of two from 1 KiB.
	offsets := []int64{0}
	for pos := int64(1024); pos < size; pos *= 2 {
		offsets = append(offsets, pos)
	}
	var buf [4]byte
	for _, off := range offsets {
		if _, err := f.ReadAt(buf[:], off+16); err != nil {
			if errors.Is(err, io.EOF) {
				continue
			}
			return fmt.Errorf("store: open: %w", err)
		}
		if binary.NativeEndian.Uint32(buf[:]) == boltMagic {
			return nil
		}
	}
	return notDatabase(path, nil)
}
