package xmlscan

// Records collects decoded records in chunks of bounded size. Appending to
// one slice would leave behind every outgrown array (Go grows large slices
// in small steps, so together they outweigh the final one); chunks
// leave only themselves, and All copies them into one exactly sized slice.
type Records[T any] struct {
	chunks [][]T
	n      int
}

const maxChunk = 4096

// Add appends a zero record and returns it for filling in.
func (r *Records[T]) Add() *T {
	last := len(r.chunks) - 1
	if last < 0 || len(r.chunks[last]) == cap(r.chunks[last]) {
		// Small answers get small chunks; large ones 4096 records each.
		size := min(max(16, r.n), maxChunk)
		r.chunks = append(r.chunks, make([]T, 0, size))
		last++
	}
	r.chunks[last] = r.chunks[last][:len(r.chunks[last])+1]
	r.n++
	return &r.chunks[last][len(r.chunks[last])-1]
}

// All returns every record in order; never nil.
func (r *Records[T]) All() []T {
	if len(r.chunks) == 1 {
		return r.chunks[0]
	}
	out := make([]T, 0, r.n)
	for _, c := range r.chunks {
		out = append(out, c...)
	}
	return out
}
