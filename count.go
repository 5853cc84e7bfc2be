package paperlist

import "strconv"

// CompactCount writes a count as GitHub does: 950, 12.3k, 1.2M, rounding
// down so that the figure never overstates. papers.md shows star counts in
// this form, and fix -stars writes them into a list in it.
func CompactCount(n int) string {
	switch {
	case n < 1000:
		return strconv.Itoa(n)
	case n < 1_000_000:
		return tenths(n/100) + "k"
	default:
		return tenths(n/100_000) + "M"
	}
}

// tenths writes n tenths as a decimal, without a trailing ".0".
func tenths(n int) string {
	s := strconv.Itoa(n / 10)
	if r := n % 10; r != 0 {
		s += "." + strconv.Itoa(r)
	}
	return s
}
