// Package output writes a paperlist dataset out: papers.json (WriteJSON,
// with its published schema), papers.md (WriteMarkdown, which escapes every
// text from outside) and both files at once, atomically, into a folder
// (WriteFiles).
//
// It is an adapter, as a store or a source is: the domain (the dataset, its
// papers and records) lives in the root package, which knows nothing of
// this one.
package output
