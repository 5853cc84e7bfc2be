// Package crawler runs one crawl: it plans which arXiv records, repositories
// and landing pages of a list are missing or stale in the cache, fetches
// them through the sources, saves every result as it arrives, and assembles
// the dataset from the list and the cache.
//
// It also provides Transport, the one retry and rate-limit policy that every
// source's HTTP client goes through. The package declares the small
// interfaces it needs from the sources and the cache (sources.go) and never
// imports a concrete source or store.
package crawler
