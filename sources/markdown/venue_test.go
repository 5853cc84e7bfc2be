package markdown

import (
	"regexp"
	"strconv"
	"testing"
)

// venueYearExpr is what venueYear does, as a regular expression.
var venueYearExpr = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])((?i:arxiv)|\p{Lu}[\p{L}\p{N}&-]*)\s+((?:19|20)\d\d)(?:$|[^\p{N}])`)

func TestVenueYearIsTheExpression(t *testing.T) {
	inputs := []string{
		"", "arxiv 2023", "arXiv 2023.", "NeurIPS 2022", "[ICLR 2019]", "x ICLR 2019", "xICLR 2019",
		"foo-NeurIPS 2023", "arxive 2023", "ARXIVE 2023", "arxiv2023", "ICML 20234", "ICML 2023٣",
		"ACL\n2021", "in Proc. ICCV 2017, pp. 1", "Ö-Conf 1999!", "_ICLR 2019", "ICLR  1899 ICML 1999",
		"CVPR\u00a02020", "Étude 2020", "v1 2023/03/31", "NeurIPS&ICML 2021", "a, arXiv 2024 | [Paper]",
		"2023 ICLR", "ICLR 2023 NeurIPS 2024", "日本 ICLR 2019", "ICLR\t\v2019x",
	}
	for _, s := range inputs {
		start, end, year := venueYear(s)
		m := venueYearExpr.FindStringSubmatchIndex(s)
		want := "no match"
		if m != nil {
			want = s[m[2]:m[3]] + " " + s[m[4]:m[5]] + " at " + strconv.Itoa(m[2])
		}
		got := "no match"
		if start >= 0 {
			got = s[start:end] + " " + strconv.Itoa(year) + " at " + strconv.Itoa(start)
		}
		if got != want {
			t.Errorf("venueYear(%q) = %s, want %s", s, got, want)
		}
	}
}
