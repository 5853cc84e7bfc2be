package markdown

import "github.com/yuin/goldmark/ast"

type columnRole int

const (
	roleNone columnRole = iota
	roleTitle
	rolePaper
	roleCode
)

func (r *reader) paragraph(n *ast.Paragraph)         {}
func isTable(n ast.Node) bool                         { return false }
func (r *reader) table(n ast.Node)                    {}
func (r *reader) htmlTokens(n *ast.HTMLBlock) []token { return nil }
func checkNesting(src []byte) error                   { return nil }
