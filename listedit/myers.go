package listedit

// Kinds of op.
const (
	opEqual = iota
	opDelete
	opInsert
)

// op is one step of an edit script: a line of a kept (opEqual), deleted
// (opDelete), or a line of b inserted (opInsert). a and b are the indexes
// of the step's line in a and b, or of the next line there for a side the
// step does not touch.
type op struct {
	kind int
	a, b int
}

// diffLines returns a shortest edit script from the lines a to the lines b,
// each change's deletions before its insertions. It is Myers' O(ND)
// algorithm in linear space ("An O(ND) Difference Algorithm and Its
// Variations", 1986, section 4b): a list that fix changed in five places
// costs a few passes over its lines, and two unrelated files cost memory
// proportional to their length, not to its square.
func diffLines(a, b []string) []op {
	ids := make(map[string]int)
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b)}
	d.deleted = make([]bool, len(a))
	d.inserted = make([]bool, len(b))
	d.compare(0, len(a), 0, len(b))

	var script []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && d.deleted[i]:
			script = append(script, op{opDelete, i, j})
			i++
		case j < len(b) && d.inserted[j]:
			script = append(script, op{opInsert, i, j})
			j++
		default:
			script = append(script, op{opEqual, i, j})
			i++
			j++
		}
	}
	return script
}

// differ marks the lines of a that a shortest edit script deletes and the
// lines of b that it inserts.
type differ struct {
	a, b              []int
	deleted, inserted []bool
}

// compare marks the changes between a[aLo:aHi] and b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo++
		bLo++
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi--
		bHi--
	}
	if aLo == aHi || bLo == bHi {
		d.markAll(aLo, aHi, bLo, bHi)
		return
	}
	x, y, ok := d.middleSnake(aLo, aHi, bLo, bHi)
	if !ok {
		d.markAll(aLo, aHi, bLo, bHi)
		return
	}
	d.compare(aLo, x, bLo, y)
	d.compare(x, aHi, y, bHi)
}

func (d *differ) markAll(aLo, aHi, bLo, bHi int) {
	for i := aLo; i < aHi; i++ {
		d.deleted[i] = true
	}
	for j := bLo; j < bHi; j++ {
		d.inserted[j] = true
	}
}

// middleSnake finds where a shortest path through the edit graph of
// a[aLo:aHi] and b[bLo:bHi] crosses its middle diagonal, searching from
// both corners at once, and returns that point. The ranges are non-empty
// and differ in their first and last lines, so the point is strictly
// inside and both halves are smaller. ok is false when the ranges share no
// line.
func (d *differ) middleSnake(aLo, aHi, bLo, bHi int) (x, y int, ok bool) {
	n, m := aHi-aLo, bHi-bLo
	maxD := (n + m + 1) / 2
	off := maxD
	// vf[off+k] is the furthest x reached forward on diagonal k = x-y;
	// vb[off+k] the furthest reached backward, counted from the end.
	vf := make([]int, 2*maxD+2)
	vb := make([]int, 2*maxD+2)
	for i := range vf {
		vf[i], vb[i] = -1, -1
	}
	vf[off+1], vb[off+1] = 0, 0
	delta := n - m
	odd := delta%2 != 0
	// The k ranges shrink once a path leaves the graph on one side.
	var fStart, fEnd, bStart, bEnd int
	for step := 0; step < maxD; step++ {
		for k := -step + fStart; k <= step-fEnd; k += 2 {
			i := off + k
			var x int
			if k == -step || k != step && vf[i-1] < vf[i+1] {
				x = vf[i+1]
			} else {
				x = vf[i-1] + 1
			}
			y := x - k
			for x < n && y < m && d.a[aLo+x] == d.b[bLo+y] {
				x++
				y++
			}
			vf[i] = x
			switch {
			case x > n:
				fEnd += 2
			case y > m:
				fStart += 2
			case odd:
				j := off + delta - k
				if j >= 0 && j < len(vb) && vb[j] != -1 && x >= n-vb[j] {
					return aLo + x, bLo + y, true
				}
			}
		}
		for k := -step + bStart; k <= step-bEnd; k += 2 {
			i := off + k
			var x int
			if k == -step || k != step && vb[i-1] < vb[i+1] {
				x = vb[i+1]
			} else {
				x = vb[i-1] + 1
			}
			y := x - k
			for x < n && y < m && d.a[aHi-1-x] == d.b[bHi-1-y] {
				x++
				y++
			}
			vb[i] = x
			switch {
			case x > n:
				bEnd += 2
			case y > m:
				bStart += 2
			case !odd:
				j := off + delta - k
				if j >= 0 && j < len(vf) && vf[j] != -1 {
					fx := vf[j]
					fy := fx - (j - off)
					if fx >= n-x {
						return aLo + fx, bLo + fy, true
					}
				}
			}
		}
	}
	return 0, 0, false
}
