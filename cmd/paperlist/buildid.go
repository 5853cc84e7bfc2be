package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"io"
	"os"
	"sync"
)

// readerBuild names the build of the running executable, for the lists the
// cache keeps (store.ListMemo): Go's build ID, which changes with any change
// to the code or to a module it uses, so that a list kept by one build is
// never taken for what another build's reader makes of it. It is "" when
// the executable cannot be read or holds no build ID: nothing is kept then.
var readerBuild = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	return buildID(f)
})

// buildID reads Go's build ID from an executable: from its ELF note, or,
// in other formats, from the marked string the linker puts at the start
// of the text.
func buildID(f io.ReaderAt) string {
	if ef, err := elf.NewFile(f); err == nil {
		if s := ef.Section(".note.go.buildid"); s != nil {
			if note, err := s.Data(); err == nil {
				return goNote(note, ef.ByteOrder)
			}
		}
		return ""
	}
	head := make([]byte, 32<<10)
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	const open, closing = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(head, []byte(open))
	if i < 0 {
		return ""
	}
	id := head[i+len(open):]
	j := bytes.Index(id, []byte(closing))
	if j <= 0 {
		return ""
	}
	return string(id[:j])
}

// goNote is the build ID of an ELF note of Go's: name size, description
// size and type 4, the name "Go" padded to four bytes, the ID.
func goNote(note []byte, order binary.ByteOrder) string {
	if len(note) < 16 {
		return ""
	}
	nameSize := order.Uint32(note[0:4])
	descSize := order.Uint32(note[4:8])
	typ := order.Uint32(note[8:12])
	if nameSize != 4 || typ != 4 || string(note[12:16]) != "Go\x00\x00" || uint64(len(note)-16) < uint64(descSize) {
		return ""
	}
	return string(note[16 : 16+descSize])
}
