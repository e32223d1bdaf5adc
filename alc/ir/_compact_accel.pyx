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
    static void alc_untrack(PyObject *o) {
        if (PyObject_IS_GC(o) && PyObject_GC_IsTracked(o)) PyObject_GC_UnTrack(o);
    }
    """
    Py_ssize_t alc_member_offset(object d)
    object alc_alloc(object cls)
    void alc_set_slot(object o, Py_ssize_t offset, object v)
    void alc_untrack(object o)
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

    def __cinit__(self):
        self.offsets = NULL
        self.required = NULL
        self.node_slot = NULL
        self.exempt = NULL

    def __dealloc__(self):
        PyMem_Free(self.offsets)
        PyMem_Free(self.required)
        PyMem_Free(self.node_slot)
        PyMem_Free(self.exempt)


def special(int kind):
    """The Spec of tuple (1), code (2) or int (3) rows."""
    cdef Spec s = Spec()
    s.kind = kind
    return s


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
    return s


cdef inline bint _all_in(object allowed, tuple items):
    cdef Py_ssize_t i
    for i in range(len(items)):
        if PySet_Contains(allowed, type(items[i])) != 1:
            return False
    return True


def build_rows(list rows, dict specs, object make_code, int max_depth):
    """The node of the last row, built as :func:`alc.ir.compact._build_rows` builds it;
    None when the rows are malformed in any way (the caller decodes them in Python
    for the error). ``make_code(row)`` gives the code body of a code row."""
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
                        el = s.elements[i]
                        if el is not None and PyTuple_CheckExact(v) and not _all_in(el, <tuple>v):
                            return None
                    ok = s.oks[i]
                    if ok is not None and PySet_Contains(ok, type(v)) != 1:
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
