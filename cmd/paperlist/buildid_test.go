package main

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"testing"
)

func TestBuildID(t *testing.T) {
	note := func(order binary.AppendByteOrder, typ uint32, name, id string) []byte {
		var b []byte
		b = order.AppendUint32(b, uint32(len(name)))
		b = order.AppendUint32(b, uint32(len(id)))
		b = order.AppendUint32(b, typ)
		b = append(b, name...)
		return append(b, id...)
	}
	for _, tc := range []struct {
		name string
		note []byte
		want string
	}{
		{"little-endian", note(binary.LittleEndian, 4, "Go\x00\x00", "abc/def"), "abc/def"},
		{"big-endian", note(binary.BigEndian, 4, "Go\x00\x00", "abc/def"), "abc/def"},
		{"another type", note(binary.LittleEndian, 3, "Go\x00\x00", "abc/def"), ""},
		{"another name", note(binary.LittleEndian, 4, "GNU\x00", "abc/def"), ""},
		{"cut short", note(binary.LittleEndian, 4, "Go\x00\x00", "abc/def")[:18], ""},
		{"empty", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			order := binary.ByteOrder(binary.LittleEndian)
			if tc.name == "big-endian" {
				order = binary.BigEndian
			}
			if got := goNote(tc.note, order); got != tc.want {
				t.Errorf("goNote = %q, want %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		head string
		want string
	}{
		{"marked", "\x00\x01\xff Go build ID: \"abc/def\"\n \xff rest", "abc/def"},
		{"no mark", "just bytes", ""},
		{"unclosed", "\xff Go build ID: \"abc", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := buildID(bytes.NewReader([]byte(tc.head))); got != tc.want {
				t.Errorf("buildID = %q, want %q", got, tc.want)
			}
		})
	}
	// The test binary is built by the go command, which gives it an ID.
	if runtime.GOOS == "linux" && readerBuild() == "" {
		t.Error("no build ID read from the running test binary")
	}
}
