package xmlscan

import (
	"bufio"
	"errors"
)

// readUntil returns the bytes up to (not including) delim. The slice is only
// valid until the next read.
func (s *xmlScanner) readUntil(delim byte) ([]byte, error) {
	chunk, err := s.r.ReadSlice(delim)
	if err == nil {
		return chunk[:len(chunk)-1], nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return nil, unexpectedEOF(err)
	}
	buf := append([]byte(nil), chunk...)
	for {
		chunk, err = s.r.ReadSlice(delim)
		buf = append(buf, chunk...)
		if err == nil {
			return buf[:len(buf)-1], nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, unexpectedEOF(err)
		}
		if len(buf) > maxMarkup {
			return nil, errMarkupTooLong
		}
	}
}

// skipPast reads past the terminator end, keeping nothing.
func (s *xmlScanner) skipPast(end string) error {
	return s.copyUntil(end, nil, maxMarkup, errMarkupTooLong)
}

// copyUntil reads until the terminator end, appending what comes before it
// to dst unless dst is nil; over limit bytes before it are tooLong. Only
// what it reads can end it: dst may already hold the element's text.
func (s *xmlScanner) copyUntil(end string, dst *[]byte, limit int, tooLong error) error {
	last := end[len(end)-1]
	// tail holds the last bytes read, to see a terminator split across reads
	// without keeping what was skipped.
	tail := make([]byte, 0, 2*len(end))
	read := 0
	for {
		chunk, err := s.readUntil(last)
		if err != nil {
			return err
		}
		read += len(chunk) + 1
		tail = keepTail(tail, chunk, last, len(end))
		done := string(tail) == end
		if dst != nil {
			*dst = append(append(*dst, chunk...), last)
			if done {
				*dst = (*dst)[:len(*dst)-len(end)]
			}
		}
		switch {
		case done:
			return nil
		case read > limit:
			return tooLong
		}
	}
}

// keepTail returns the last n bytes of tail, chunk and last read one after
// another (fewer when fewer were read).
func keepTail(tail, chunk []byte, last byte, n int) []byte {
	if len(chunk) >= n-1 {
		tail = append(tail[:0], chunk[len(chunk)-(n-1):]...)
	} else {
		tail = append(tail, chunk...)
	}
	tail = append(tail, last)
	if len(tail) > n {
		tail = append(tail[:0], tail[len(tail)-n:]...)
	}
	return tail
}
