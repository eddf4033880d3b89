// Package onnx writes ONNX models: the few protobuf messages tr119 needs
// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto with
// external data, ValueInfoProto and TypeProto), encoded by hand with
// protowire, and a Graph builder that names values for its callers.
//
// It writes only; it does not parse or check graphs. Field numbers follow
// onnx/onnx.proto (proto2), repeated scalars are written unpacked.
package onnx
