package output_test

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/output"
)

// render renders markdown as GitHub does (CommonMark with the GFM
// extensions) and lets raw HTML through, so that any HTML the writer failed
// to escape shows up in the result.
func render(t *testing.T, md string) string {
	t.Helper()
	gm := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
	)
	var buf bytes.Buffer
	if err := gm.Convert([]byte(md), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

// hostile are texts from outside that try to break out of their place in
// papers.md.
var hostile = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`</details><script>alert(1)</script><details>`,
	`<a href="javascript:alert(1)">x</a>`,
	`[x](javascript:alert(1))`,
	`x](https://evil.example/) [y`,
	`[x]( javascript:alert(1) "t")`,
	`![x](https://evil.example/x.png)`,
	`[x][r] and [r]: javascript:alert(1)`,
	`<javascript:alert(1)>`,
	`&lt;script&gt;alert(1)&lt;/script&gt; &#60;img&#62;`,
	`\<script>alert(1)\</script>`,
	"line\n# Heading\n- item\n> quote\n\n<script>alert(1)</script>",
	"para\r\n\r\n    code\n***\n",
	"| a | b |\n|---|---|\n| c | d |",
	"**bold** __bold__ *em* _em_ ~~del~~ `code` ```fence```",
	"\u2028<script>x</script>\u2029# h",
	"\x00\x1b[31mred\x7f",
	"x\u202egnp.exe",
	"<!-- comment --> <?php x ?> <![CDATA[x]]>",
	"$x$ $$y$$",
	"- item", "+ item", "* item", "1. item", "2) item", "---", "===", "***", "> quote", "    indented", "```", "~~~",
	"trailing backslash \\",
	"\xff\xfe invalid utf-8",
}

// textFields put a text into each place of the dataset that papers.md shows.
var textFields = []struct {
	name string
	set  func(d *paperlist.Dataset, s string)
}{
	{"list title", func(d *paperlist.Dataset, s string) { d.List.Title = s }},
	{"list source", func(d *paperlist.Dataset, s string) { d.List.Source = s }},
	{"section", func(d *paperlist.Dataset, s string) { d.Papers[0].Section = s; d.List.Sections = []string{s} }},
	{"title", func(d *paperlist.Dataset, s string) { d.Papers[0].Title = s }},
	{"authors", func(d *paperlist.Dataset, s string) { d.Papers[0].Authors = []string{s, s} }},
	{"arxiv authors", func(d *paperlist.Dataset, s string) {
		d.Papers[0].Arxiv.Authors = []paperlist.Author{{Name: s}}
	}},
	{"venue", func(d *paperlist.Dataset, s string) { d.Papers[0].Venue = s }},
	{"arxiv abstract", func(d *paperlist.Dataset, s string) { d.Papers[0].Arxiv.Abstract = s }},
	{"page abstract", func(d *paperlist.Dataset, s string) {
		d.Papers[0].Arxiv = nil
		d.Papers[0].Page = &paperlist.PageRecord{URL: "https://e.com", Abstract: s}
	}},
	{"repo description", func(d *paperlist.Dataset, s string) { d.Papers[0].GitHub.Description = s }},
	{"problem code", func(d *paperlist.Dataset, s string) { d.Papers[0].Problems[0].Code = s }},
	{"problem message", func(d *paperlist.Dataset, s string) { d.Papers[0].Problems[0].Message = s }},
	{"paper url", func(d *paperlist.Dataset, s string) { d.Papers[0].PaperURL = s }},
	{"code url", func(d *paperlist.Dataset, s string) { d.Papers[0].CodeURL = s }},
}

// plainDataset is one enriched paper with harmless text everywhere.
func plainDataset() *paperlist.Dataset {
	return &paperlist.Dataset{
		GeneratedAt: generatedAt,
		List:        paperlist.ListInfo{Title: "List", Source: "list.md"},
		Papers: []*paperlist.Paper{{
			Key: "arxiv:2302.13971", Section: "S", Title: "Title", Venue: "arXiv", Year: 2023,
			PaperURL: "https://arxiv.org/abs/2302.13971", CodeURL: "https://github.com/o/r",
			ArxivID: "2302.13971", Repo: "o/r",
			Arxiv:    &paperlist.ArxivRecord{ID: "2302.13971", Title: "Title", Abstract: "Abstract."},
			GitHub:   &paperlist.RepoStats{FullName: "o/r", Stars: 1, Description: "Code."},
			Problems: []paperlist.Problem{{Code: "title_mismatch", Message: "message"}},
		}},
	}
}

var (
	hrefAttr = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*"([^"]*)"`)
	anyTag   = regexp.MustCompile(`(?i)<\s*/?\s*([a-z!?][a-z0-9-]*)`)
)

// ourTags are the HTML elements papers.md is made of; any other element in
// the rendered output was injected.
var ourTags = map[string]int{
	"h1": 2, "h2": 2, "p": 2, "ul": 2, "li": 2, "strong": 2, "a": 100, "br": 2, "details": 2, "summary": 2,
}

func TestWriteMarkdownHostileText(t *testing.T) {
	for _, field := range textFields {
		for _, payload := range hostile {
			t.Run(field.name+"/"+payload, func(t *testing.T) {
				d := plainDataset()
				field.set(d, payload)
				md := writeMarkdown(t, d, output.MarkdownOptions{})
				assertSafeMarkdown(t, md)
				assertSafeHTML(t, render(t, md))
			})
		}
	}
}

// assertSafeMarkdown checks the markdown source: no raw HTML or link to a
// script, and every line one the writer made.
func assertSafeMarkdown(t *testing.T, md string) {
	t.Helper()
	lower := strings.ToLower(md)
	for _, bad := range []string{"<script", "<img", "<a ", "](javascript", "<javascript", "<!--", "<?", "<![cdata"} {
		if strings.Contains(lower, bad) {
			t.Errorf("markdown has %q:\n%s", bad, md)
		}
	}
	entries := 0
	for i, line := range strings.Split(strings.TrimSuffix(md, "\n"), "\n") {
		switch {
		case i == 0 && strings.HasPrefix(line, "# "):
		case i == 2 && (strings.HasPrefix(line, "Generated ") || strings.HasPrefix(line, "From ")):
		case line == "", strings.HasPrefix(line, "## "):
		case strings.HasPrefix(line, "- "):
			entries++
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
		default:
			t.Errorf("line %d was not made by the writer: %q", i+1, line)
		}
	}
	if entries != 1 {
		t.Errorf("%d entries, want 1:\n%s", entries, md)
	}
}

// assertSafeHTML checks the rendered page: only our elements, as many as
// we made, and only http(s) links.
func assertSafeHTML(t *testing.T, page string) {
	t.Helper()
	counts := map[string]int{}
	for _, m := range anyTag.FindAllStringSubmatch(page, -1) {
		counts[strings.ToLower(m[1])]++
	}
	for tag, n := range counts {
		if limit, ok := ourTags[tag]; !ok || n > limit {
			t.Errorf("rendered page has %d <%s> tags:\n%s", n, tag, page)
		}
	}
	if counts["li"] != 2 {
		t.Errorf("rendered page has %d list items, want 1:\n%s", counts["li"]/2, page)
	}
	for _, m := range hrefAttr.FindAllStringSubmatch(page, -1) {
		u := strings.ToLower(html.UnescapeString(m[1]))
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			t.Errorf("rendered page links %q:\n%s", m[1], page)
		}
	}
}

// TestWriteMarkdownKeepsText checks that escaping loses nothing: hostile
// text renders as exactly its own text, folded onto one line.
func TestWriteMarkdownKeepsText(t *testing.T) {
	tags := regexp.MustCompile(`<[^>]*>`)
	places := []struct {
		name string
		set  func(d *paperlist.Dataset, s string)
		find *regexp.Regexp // its first group is where the text renders
	}{
		{"title", func(d *paperlist.Dataset, s string) { d.Papers[0].Title = s }, regexp.MustCompile(`(?s)<strong>(.*?)</strong>`)},
		{"abstract", func(d *paperlist.Dataset, s string) { d.Papers[0].Arxiv.Abstract = s }, regexp.MustCompile(`(?s)<summary>Abstract</summary>(.*?)</details>`)},
	}
	for _, place := range places {
		for _, payload := range hostile {
			if !utf8.ValidString(payload) || strings.ContainsAny(payload, "\u202e\x00\x1b\x7f") {
				continue // dropped or replaced on purpose
			}
			t.Run(place.name+"/"+payload, func(t *testing.T) {
				d := plainDataset()
				place.set(d, payload)
				page := render(t, writeMarkdown(t, d, output.MarkdownOptions{}))
				m := place.find.FindStringSubmatch(page)
				if m == nil {
					t.Fatalf("%s not found in:\n%s", place.name, page)
				}
				got := html.UnescapeString(tags.ReplaceAllString(m[1], ""))
				want := strings.Join(strings.Fields(payload), " ")
				if got != want {
					t.Errorf("%s renders as %q, want %q", place.name, got, want)
				}
			})
		}
	}
}

func TestWriteMarkdownURLs(t *testing.T) {
	tests := []struct {
		name string
		url  string
		// want is the link destination in the markdown, "" when the URL
		// must not be linked.
		want string
	}{
		{"plain", "https://arxiv.org/abs/2302.13971", "https://arxiv.org/abs/2302.13971"},
		{"http, query and fragment", "http://e.com/a?b=1&c=2#d", "http://e.com/a?b=1&c=2#d"},
		{"upper-case scheme", "HTTPS://e.com/x", "HTTPS://e.com/x"},
		{"surrounding space", "  https://e.com/x  ", "https://e.com/x"},
		{"valid escapes kept", "https://e.com/a%20b", "https://e.com/a%20b"},
		{"ipv6 host", "http://[::1]:8080/x", "http://[::1]:8080/x"},
		{"unsafe characters encoded", "https://e.com/a)(b<c>\"d'e\\f`g|h{i}^j", "https://e.com/a%29%28b%3Cc%3E%22d%27e%5Cf%60g%7Ch%7Bi%7D%5Ej"},
		{"cannot close the link", "https://e.com/x)](javascript:alert(1))", "https://e.com/x%29]%28javascript:alert%281%29%29"},
		{"unicode encoded", "https://e.com/é", "https://e.com/%C3%A9"},
		{"javascript", "javascript:alert(1)", ""},
		{"javascript in mixed case", "JaVaScRiPt:alert(1)", ""},
		{"javascript behind space", " javascript:alert(1)", ""},
		{"data", "data:text/html,<script>alert(1)</script>", ""},
		{"vbscript", "vbscript:msgbox(1)", ""},
		{"http without host", "https:javascript:alert(1)", ""},
		{"protocol relative", "//evil.example/x", ""},
		{"relative", "/x", ""},
		{"bad escape", "https://e.com/%zz", ""},
		{"newline", "https://e.com/\n[x](javascript:1)", ""},
		{"space in host", "https://e .com/", ""},
	}
	for _, tt := range tests {
		for _, field := range []string{"paper", "code"} {
			t.Run(field+"/"+tt.name, func(t *testing.T) {
				d := plainDataset()
				p := d.Papers[0]
				p.GitHub.Description = ""
				var prefix string
				if field == "paper" {
					p.PaperURL = tt.url
					prefix = "**[Title]("
				} else {
					p.CodeURL = tt.url
					prefix = "[code]("
				}
				md := writeMarkdown(t, d, output.MarkdownOptions{})
				assertSafeMarkdown(t, md)
				page := render(t, md)
				assertSafeHTML(t, page)
				if tt.want == "" {
					if strings.Contains(md, prefix) {
						t.Errorf("%q is linked:\n%s", tt.url, md)
					}
					return
				}
				if !strings.Contains(md, prefix+tt.want+")") {
					t.Errorf("markdown lacks %q:\n%s", prefix+tt.want+")", md)
				}
				// goldmark encodes the brackets that URLs may keep.
				href := strings.NewReplacer("[", "%5B", "]", "%5D").Replace(tt.want)
				if !strings.Contains(page, `href="`+html.EscapeString(href)+`"`) {
					t.Errorf("rendered page does not link %q:\n%s", tt.want, page)
				}
			})
		}
	}
}
