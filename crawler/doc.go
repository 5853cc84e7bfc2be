// Package crawler runs one crawl: it plans which arXiv records, repositories
// and landing pages of a list are missing or stale in the cache, fetches
// them through the sources, saves every result as it arrives, and assembles
// the dataset from the list and the cache.
//
// The requests themselves are paced and retried by the HTTP client the
// sources are given (package hostpool). The package declares the small
// interfaces it needs from the sources and the cache (sources.go) and never
// imports a concrete source or store.
package crawler
