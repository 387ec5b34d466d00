package provider

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

// A data source's state crosses the plugin protocol as msgpack. The
// protocol server (protocol_server.go) writes it straight from the
// client's structs, skipping the framework's value tree, its checks over it
// and its encoding, which dominate a long list's read (DESIGN.md,
// "Performance"). The framework's Read takes the same values as tftypes
// values; both come from one computedValue.

// computedValue is the value a data source's read gives one computed
// attribute.
type computedValue interface {
	// terraformValue is the value as the framework's Read sets it.
	terraformValue() tftypes.Value
	// writeMsgPack writes the value as the protocol carries it.
	writeMsgPack(w *msgpackWriter)
}

// tfComputed is a value already built as a tftypes value: small values,
// for which the tree costs little.
type tfComputed struct{ value tftypes.Value }

func (c tfComputed) terraformValue() tftypes.Value { return c.value }
func (c tfComputed) writeMsgPack(w *msgpackWriter) { w.value(c.value) }

// stringComputed is a string, null when p is nil.
type stringComputed struct{ p *string }

func (c stringComputed) terraformValue() tftypes.Value { return stringValue(c.p) }
func (c stringComputed) writeMsgPack(w *msgpackWriter) { w.string(c.p) }

// int64Computed is a number, null when p is nil.
type int64Computed struct{ p *int64 }

func (c int64Computed) terraformValue() tftypes.Value { return int64Value(c.p) }
func (c int64Computed) writeMsgPack(w *msgpackWriter) { w.int64(c.p) }

// stringsComputed is a known list of strings, null when nil.
type stringsComputed []string

func (c stringsComputed) terraformValue() tftypes.Value {
	if c == nil {
		return tftypes.NewValue(stringListType, nil)
	}
	elems := make([]tftypes.Value, len(c))
	for i, s := range c {
		elems[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(stringListType, elems)
}

func (c stringsComputed) writeMsgPack(w *msgpackWriter) {
	if c == nil {
		w.null()
		return
	}
	w.arrayLen(len(c))
	for _, s := range c {
		w.keep(w.enc.EncodeString(s))
	}
}

// stringMapComputed is a known map of strings: the entries of m under
// keys, read where they are.
type stringMapComputed struct {
	m    map[string]string
	keys []string
}

func (c stringMapComputed) terraformValue() tftypes.Value {
	elems := make(map[string]tftypes.Value, len(c.keys))
	for _, k := range c.keys {
		elems[k] = tftypes.NewValue(tftypes.String, c.m[k])
	}
	return tftypes.NewValue(stringMapType, elems)
}

// writeMsgPack writes the entries in the order of keys: Terraform reads a
// map by key, so sorting them would be work for nothing.
func (c stringMapComputed) writeMsgPack(w *msgpackWriter) {
	w.mapLen(len(c.keys))
	for _, k := range c.keys {
		w.keep(w.enc.EncodeString(k))
		w.keep(w.enc.EncodeString(c.m[k]))
	}
}

var (
	stringListType = tftypes.List{ElementType: tftypes.String}
	stringMapType  = tftypes.Map{ElementType: tftypes.String}
)

// msgpackWriter writes msgpack and keeps the first error, so that a
// writer of many values checks once at the end.
type msgpackWriter struct {
	enc *msgpack.Encoder
	err error
}

func (w *msgpackWriter) keep(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *msgpackWriter) mapLen(n int)   { w.keep(w.enc.EncodeMapLen(n)) }
func (w *msgpackWriter) arrayLen(n int) { w.keep(w.enc.EncodeArrayLen(n)) }
func (w *msgpackWriter) null()          { w.keep(w.enc.EncodeNil()) }

func (w *msgpackWriter) string(p *string) {
	if p == nil {
		w.null()
		return
	}
	w.keep(w.enc.EncodeString(*p))
}

// int64 writes a number as tftypes does for a whole number: msgpack's
// smallest integer form.
func (w *msgpackWriter) int64(p *int64) {
	if p == nil {
		w.null()
		return
	}
	w.keep(w.enc.EncodeInt(*p))
}

func (w *msgpackWriter) bool(p *bool) {
	if p == nil {
		w.null()
		return
	}
	w.keep(w.enc.EncodeBool(*p))
}

// value writes a tftypes value with tftypes' own encoding.
func (w *msgpackWriter) value(v tftypes.Value) {
	if w.err != nil {
		return
	}
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		w.err = err
		return
	}
	w.keep(w.enc.Encode(msgpack.RawMessage(dv.MsgPack)))
}

// encodeState writes a data source's state: its configuration, with the
// computed attributes set. Attributes go in name order, as tftypes writes
// an object.
func encodeState(typ tftypes.Object, config configAttributes, computed map[string]computedValue) ([]byte, error) {
	names := make([]string, 0, len(typ.AttributeTypes))
	for name := range typ.AttributeTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	buf, ok := stateBuffers.Get().(*bytes.Buffer)
	if !ok {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	enc := msgpack.GetEncoder()
	defer msgpack.PutEncoder(enc)
	enc.Reset(buf)
	w := &msgpackWriter{enc: enc}
	w.mapLen(len(names))
	for _, name := range names {
		w.keep(w.enc.EncodeString(name))
		if v, ok := computed[name]; ok {
			v.writeMsgPack(w)
			continue
		}
		if v, ok := config[name]; ok {
			_, err := buf.Write(v.raw) // as Terraform sent it
			w.keep(err)
			continue
		}
		w.keep(w.enc.EncodeNil())
	}
	if w.err != nil {
		return nil, w.err
	}
	if buf.Cap() > maxPooledState {
		return buf.Bytes(), nil // a long list's: copied, it would be held twice
	}
	state := bytes.Clone(buf.Bytes())
	stateBuffers.Put(buf)
	return state, nil
}

// stateBuffers hold the buffers of states being written, so that a
// lookup's state is allocated once, at its size, rather than grown to it.
var stateBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledState is the largest buffer kept for another state.
const maxPooledState = 256 << 10

// stateValue is the same state as a tftypes value, for the framework.
func stateValue(typ tftypes.Type, config configAttributes, computed map[string]computedValue) (tftypes.Value, error) {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the state's type is %s, not an object", typ)
	}
	attrs := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, attrType := range obj.AttributeTypes {
		if v, ok := computed[name]; ok {
			attrs[name] = v.terraformValue()
			continue
		}
		raw, ok := config[name]
		if !ok {
			attrs[name] = tftypes.NewValue(attrType, nil)
			continue
		}
		v, err := tfprotov6.DynamicValue{MsgPack: raw.raw}.Unmarshal(attrType)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("the configuration's %s: %w", name, err)
		}
		attrs[name] = v
	}
	return tftypes.NewValue(typ, attrs), nil
}
