//go:build !linux

package output

import "os"

// startWriteback does nothing here: Sync writes the whole file.
func startWriteback(*os.File, int64, int64) {}
