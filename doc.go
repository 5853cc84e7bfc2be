// Package paperlist is the domain of the paperlist tool: a paper list read
// from markdown, its sections and papers, the records that enrich a paper
// (arXiv metadata, repository stats, a landing page), the problems found in
// a list, and the dataset a run writes out (the output package writes it as
// JSON and markdown).
//
// The package uses the standard library only. Reading a list, fetching from
// arXiv or GitHub, caching and crawling live in the subpackages and depend on
// this one, never the other way round.
package paperlist
