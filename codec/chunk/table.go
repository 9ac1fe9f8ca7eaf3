package chunk

// table maps chunk stream ids to per-stream state. The ids of the 1-byte
// basic header form, which carry nearly all traffic, live in an array so the
// per-chunk lookup is an index; the rest go to a map made on first use.
type table[T any] struct {
	low  [64]*T
	high map[uint32]*T
	n    int
}

func (t *table[T]) get(csid uint32) *T {
	if csid < 64 {
		return t.low[csid]
	}
	return t.high[csid]
}

// add stores a fresh state for csid, which must not be present.
func (t *table[T]) add(csid uint32) *T {
	v := new(T)
	if csid < 64 {
		t.low[csid] = v
	} else {
		if t.high == nil {
			t.high = make(map[uint32]*T)
		}
		t.high[csid] = v
	}
	t.n++
	return v
}
