# cython: language_level=3, wraparound=False, boundscheck=False
"""The compiled twin of :func:`alc.ir.compact._build_rows` (optional).

Built from this file by Cython where a C compiler is present at install time
(pyproject.toml, ext-modules); :func:`alc.ir.compact.decode` uses it unless
``ALC_PURE_PYTHON=1``. It builds the same nodes from the same rows, step for
step: each field's value checked against the types it may hold, row numbers
resolved to rows before, the depth bounded; the slots of each node set
directly (their offsets read from the class's member descriptors).

It does not report errors itself: on anything the pure-Python builder would
refuse (or anything it is unsure of) it returns None and the caller decodes
the rows again in Python, which raises the one SerializationError with its
message. So both paths accept the same rows, build equal IR and fail alike;
tests/test_compact_accel.py decodes the same inputs both ways.

The nodes, tuples and code bodies it builds are untracked by the cyclic
garbage collector: the IR is a tree of frozen nodes (no node can reach
itself), so the collector would only walk millions of them again and again
for nothing (more than a second on a 10,000-object package). Untracked
objects are still freed by reference counting.
"""

from cpython.object cimport PyObject, PyTypeObject
from cpython.list cimport PyList_GET_SIZE, PyList_GET_ITEM
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.ref cimport Py_INCREF
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.set cimport PySet_Contains


cdef extern from *:
    """
    #include "structmember.h"
    static Py_ssize_t alc_member_offset(PyObject *d) {
        PyMemberDef *m;
        if (Py_TYPE(d) != &PyMemberDescr_Type) return -1;
        m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type != T_OBJECT_EX || (m->flags & READONLY)) return -1;
        return m->offset;
    }
    static PyObject *alc_alloc(PyObject *cls) {
        PyTypeObject *t = (PyTypeObject *)cls;
        return t->tp_alloc(t, 0);
    }
    static void alc_set_slot(PyObject *o, Py_ssize_t offset, PyObject *v) {
        PyObject **p = (PyObject **)((char *)o + offset);
        PyObject *old = *p;
        Py_INCREF(v);
        *p = v;
        Py_XDECREF(old);
    }
    static Py_ssize_t alc_index(PyObject *o) {
        Py_ssize_t i = PyLong_AsSsize_t(o);
        if (i == -1 && PyErr_Occurred()) PyErr_Clear();
        return i;
    }
    static PyObject *alc_alloc_var(PyObject *cls, Py_ssize_t n) {
        PyTypeObject *t = (PyTypeObject *)cls;
        return t->tp_alloc(t, n);
    }
    static void alc_tuple_set(PyObject *t, Py_ssize_t i, PyObject *v) {
        Py_INCREF(v);
        PyTuple_SET_ITEM(t, i, v);
    }
    static void alc_untrack(PyObject *o) {
        if (PyObject_IS_GC(o) && PyObject_GC_IsTracked(o)) PyObject_GC_UnTrack(o);
    }
    """
    Py_ssize_t alc_member_offset(object d)
    object alc_alloc(object cls)
    void alc_set_slot(object o, Py_ssize_t offset, object v)
    void alc_untrack(object o)
    object alc_alloc_var(object cls, Py_ssize_t n)
    void alc_tuple_set(object t, Py_ssize_t i, object v)
    bint PyUnicode_CheckExact(object o)
    PyTypeObject *Py_TYPE(object o)
    Py_ssize_t alc_index(object o)
    bint PyLong_CheckExact(object o)
    bint PyList_CheckExact(object o)
    bint PyTuple_CheckExact(object o)
    bint PyDict_CheckExact(object o)


DEF NODE = 0
DEF TUPLE = 1
DEF CODE = 2
DEF INT = 3


cdef class Spec:
    """How to build the node of one row tag (or a tuple, code or int row)."""
    cdef int kind
    cdef object cls
    cdef Py_ssize_t nfields
    cdef Py_ssize_t span_offset
    cdef Py_ssize_t *offsets
    cdef char *required
    cdef char *node_slot        # a field that may hold a row number (a node or a tuple)
    cdef char *exempt           # the default passes the type check by identity
    cdef list defaults
    cdef list oks               # frozenset of allowed types, or None
    cdef list elements          # frozenset of a tuple's allowed element types, or None
    cdef int *ok_count          # per field: -1 no check, 0..FEW the types in ok_types, FEW + 1 the set
    cdef PyObject **ok_types    # FEW per field (borrowed: the sets in ``oks`` hold them)
    cdef int *el_count          # the same for ``elements``
    cdef PyObject **el_types
    # code rows: LazyBody(span=Span(SourceFile(path, text), 0, len(text)), pp_depth, symbols)
    cdef object span_cls, source_cls, no_symbols
    cdef Py_ssize_t body_span, body_depth, body_symbols, src_path, src_text, src_lines, src_disk

    def __cinit__(self):
        self.offsets = NULL
        self.required = NULL
        self.node_slot = NULL
        self.exempt = NULL
        self.ok_count = NULL
        self.ok_types = NULL
        self.el_count = NULL
        self.el_types = NULL

    def __dealloc__(self):
        PyMem_Free(self.offsets)
        PyMem_Free(self.required)
        PyMem_Free(self.node_slot)
        PyMem_Free(self.exempt)
        PyMem_Free(self.ok_count)
        PyMem_Free(self.ok_types)
        PyMem_Free(self.el_count)
        PyMem_Free(self.el_types)


DEF FEW = 8


cdef int _fill(object types, PyObject **out) except -2:
    """The types of ``types`` (a frozenset or None) into ``out``: -1 for None, their count
    when FEW or fewer, FEW + 1 when more (then the set is asked)."""
    cdef int j = 0
    if types is None:
        return -1
    if len(types) > FEW:
        return FEW + 1
    for t in types:
        out[j] = <PyObject *>t
        j += 1
    return j


cdef inline bint _allowed(object v, int count, PyObject **types, object kinds):
    cdef int j
    cdef PyObject *t
    if count < 0:
        return True
    if count > FEW:
        return PySet_Contains(kinds, type(v)) == 1
    t = <PyObject *>Py_TYPE(v)
    for j in range(count):
        if types[j] == t:
            return True
    return False


def special(int kind):
    """The Spec of tuple (1) or int (3) rows."""
    cdef Spec s = Spec()
    s.kind = kind
    return s


def code_spec(body_cls, body_fields, source_cls, source_fields, span_cls, no_symbols):
    """The Spec of code rows: ``body_fields`` the member descriptors of LazyBody's span, pp_depth
    and symbols, ``source_fields`` those of SourceFile's path, _text, _line_starts and _from_disk."""
    cdef Spec s = Spec()
    s.kind = CODE
    s.cls = body_cls
    s.source_cls = source_cls
    s.span_cls = span_cls
    s.no_symbols = no_symbols
    s.body_span, s.body_depth, s.body_symbols = [alc_member_offset(d) for d in body_fields]
    s.src_path, s.src_text, s.src_lines, s.src_disk = [alc_member_offset(d) for d in source_fields]
    if min(s.body_span, s.body_depth, s.body_symbols, s.src_path, s.src_text, s.src_lines, s.src_disk) < 0:
        raise ValueError("a field is not a slot")
    if not issubclass(span_cls, tuple) or span_cls.__basicsize__ != tuple.__basicsize__:
        raise ValueError("the span is not a plain tuple")
    return s


cdef object _code(Spec s, list row, Py_ssize_t n, object path):
    """The LazyBody of a plain code row (its text, and its preprocessor depth when given), or None
    for any other (then ``make_code`` builds it or says what is wrong)."""
    cdef object text, depth, source, span, body
    text = <object>PyList_GET_ITEM(row, 1)
    if not PyUnicode_CheckExact(text):
        return None
    if n == 2:
        depth = 0
    elif n == 3:
        depth = <object>PyList_GET_ITEM(row, 2)
        if not PyLong_CheckExact(depth):
            return None
    else:
        return None
    source = alc_alloc(s.source_cls)
    alc_set_slot(source, s.src_path, path)
    alc_set_slot(source, s.src_text, text)
    alc_set_slot(source, s.src_lines, None)
    alc_set_slot(source, s.src_disk, False)
    span = alc_alloc_var(s.span_cls, 3)
    alc_tuple_set(span, 0, source)
    alc_tuple_set(span, 1, 0)
    alc_tuple_set(span, 2, len(<str>text))
    body = alc_alloc(s.cls)
    alc_set_slot(body, s.body_span, span)
    alc_set_slot(body, s.body_depth, depth)
    alc_set_slot(body, s.body_symbols, s.no_symbols)
    alc_untrack(source)
    alc_untrack(span)
    alc_untrack(body)
    return body


def node_spec(cls, span, fields):
    """The Spec of a node class. ``span``: the member descriptor of its span slot or None;
    ``fields``: (descriptor, required, node_slot, exempt, default, ok, elements) per field in order.
    ValueError when a descriptor is not a plain object slot (then nothing is accelerated)."""
    cdef Spec s = Spec()
    cdef Py_ssize_t i, n = len(fields)
    s.kind = NODE
    s.cls = cls
    s.nfields = n
    s.span_offset = -1
    if span is not None:
        s.span_offset = alc_member_offset(span)
        if s.span_offset < 0:
            raise ValueError("span is not a slot")
    s.offsets = <Py_ssize_t *>PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1))
    s.required = <char *>PyMem_Malloc(n + 1)
    s.node_slot = <char *>PyMem_Malloc(n + 1)
    s.exempt = <char *>PyMem_Malloc(n + 1)
    if s.offsets == NULL or s.required == NULL or s.node_slot == NULL or s.exempt == NULL:
        raise MemoryError()
    s.ok_count = <int *>PyMem_Malloc(sizeof(int) * (n + 1))
    s.el_count = <int *>PyMem_Malloc(sizeof(int) * (n + 1))
    s.ok_types = <PyObject **>PyMem_Malloc(sizeof(PyObject *) * FEW * (n + 1))
    s.el_types = <PyObject **>PyMem_Malloc(sizeof(PyObject *) * FEW * (n + 1))
    if s.ok_count == NULL or s.el_count == NULL or s.ok_types == NULL or s.el_types == NULL:
        raise MemoryError()
    s.defaults = []
    s.oks = []
    s.elements = []
    for i in range(n):
        descriptor, required, node_slot, exempt, default, ok, elements = fields[i]
        s.offsets[i] = alc_member_offset(descriptor)
        if s.offsets[i] < 0:
            raise ValueError("a field is not a slot")
        s.required[i] = 1 if required else 0
        s.node_slot[i] = 1 if node_slot else 0
        s.exempt[i] = 1 if exempt else 0
        s.defaults.append(default)
        s.oks.append(ok)
        s.elements.append(elements)
        s.ok_count[i] = _fill(ok, s.ok_types + i * FEW)
        s.el_count[i] = _fill(elements, s.el_types + i * FEW)
    return s


cdef inline bint _all_in(tuple items, int count, PyObject **types, object kinds):
    cdef Py_ssize_t i
    for i in range(len(items)):
        if not _allowed(items[i], count, types, kinds):
            return False
    return True


def build_rows(list rows, dict specs, object make_code, int max_depth, object path):
    """The node of the last row, built as :func:`alc.ir.compact._build_rows` builds it;
    None when the rows are malformed in any way (the caller decodes them in Python
    for the error). Code bodies are read from ``path``; ``make_code(row)`` gives those
    of code rows with preprocessor symbols."""
    cdef Py_ssize_t count = PyList_GET_SIZE(rows)
    cdef Py_ssize_t r, n, i, k, ref, m
    cdef int d, e
    cdef int *depths
    cdef list built = []
    cdef list row
    cdef object tag, v, o, x, ok, el
    cdef tuple t
    cdef Spec s
    cdef bint any_ref, no_ref
    if count == 0:
        return None
    depths = <int *>PyMem_Malloc(sizeof(int) * count)
    if depths == NULL:
        raise MemoryError()
    try:
        for r in range(count):
            o = <object>PyList_GET_ITEM(rows, r)
            if not PyList_CheckExact(o):
                return None
            row = <list>o
            n = PyList_GET_SIZE(row)
            if n == 0:
                return None
            tag = <object>PyList_GET_ITEM(row, 0)
            s = <Spec>specs.get(tag)
            if s is None:
                return None
            if s.kind == NODE:
                if n > s.nfields + 1:
                    return None
                o = alc_alloc(s.cls)
                if s.span_offset >= 0:
                    alc_set_slot(o, s.span_offset, None)
                d = 0
                for i in range(s.nfields):
                    k = i + 1
                    if n > k:
                        v = <object>PyList_GET_ITEM(row, k)
                    elif s.required[i]:
                        return None
                    else:
                        v = s.defaults[i]
                    if s.node_slot[i]:
                        if PyLong_CheckExact(v):
                            ref = alc_index(v)
                            if ref < 0 or ref >= r:
                                return None
                            e = depths[ref]
                            if e > d:
                                d = e
                            v = <object>PyList_GET_ITEM(built, ref)
                        if s.el_count[i] >= 0 and PyTuple_CheckExact(v) and \
                                not _all_in(<tuple>v, s.el_count[i], s.el_types + i * FEW, s.elements[i]):
                            return None
                    if not _allowed(v, s.ok_count[i], s.ok_types + i * FEW, s.oks[i]):
                        if not (s.exempt[i] and v is s.defaults[i]):
                            return None
                    alc_set_slot(o, s.offsets[i], v)
                d += 1
                alc_untrack(o)
            elif s.kind == TUPLE:
                m = n - 1
                t = PyTuple_New(m)
                d = 0
                any_ref = False
                for i in range(m):
                    x = <object>PyList_GET_ITEM(row, i + 1)
                    if PyLong_CheckExact(x):
                        ref = alc_index(x)
                        if ref < 0 or ref >= r:
                            return None
                        e = depths[ref]
                        if e > d:
                            d = e
                        x = <object>PyList_GET_ITEM(built, ref)
                        any_ref = True
                    elif PyList_CheckExact(x) or PyDict_CheckExact(x):
                        return None
                    Py_INCREF(x)
                    PyTuple_SET_ITEM(t, i, x)
                if not any_ref:
                    d = 0   # plain values (or none): depth 1, as a tuple of nodes of depth 0 would be
                d += 1
                alc_untrack(t)
                o = t
            elif s.kind == CODE:
                o = _code(s, row, n, path) if n > 1 else None
                if o is None:
                    o = make_code(row)
                if o is None:
                    return None
                x = o.span
                alc_untrack(x[0])
                alc_untrack(x)
                alc_untrack(o)
                d = 1
            else:   # INT
                if n != 2 or not PyLong_CheckExact(<object>PyList_GET_ITEM(row, 1)):
                    return None
                o = <object>PyList_GET_ITEM(row, 1)
                d = 0
            if d > max_depth:
                return None
            depths[r] = d
            built.append(o)
        return built[count - 1]
    finally:
        PyMem_Free(depths)
