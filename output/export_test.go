package output

// IndentCompact lets the black-box tests compare indentCompact with
// json.Indent.
var IndentCompact = indentCompact
