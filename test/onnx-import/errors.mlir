// Import errors of the ONNX importer: each names the file and, where there
// is one, the node; exit status 1 and no crash. The models are text-format
// ModelProtos encoded by protoc (%onnx-encode).

// RUN: rm -rf %t && split-file %s %t && cd %t

// Every unsupported node is listed, with its op, domain and opset.
// RUN: %onnx-encode < unsupported.txtpb > unsupported.onnx
// RUN: not attnc unsupported.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=NODES
// NODES: attnc: error: unsupported.onnx: 3 nodes are not supported:
// NODES-NEXT: node 'foo1': Foo (opset 17)
// NODES-NEXT: node 'bar': com.acme.Bar (domain 'com.acme' is not imported by the model)
// NODES-NEXT: node #3: Gelu (opset 17)
// NODES-NEXT: (frontend/README.md lists the supported ops and opsets)

// Opsets outside what attnc knows.
// RUN: sed 's/version: 17/version: 26/' relu.txtpb | %onnx-encode > opset26.onnx
// RUN: not attnc opset26.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=OPSET
// OPSET: attnc: error: opset26.onnx: opset 26 of the default domain is not supported; attnc imports opsets 13 to 24

// Malformed protobuf, and a file that is not there.
// RUN: printf 'not a model' > bad.onnx
// RUN: not attnc bad.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: attnc: error: bad.onnx: not an ONNX model (protobuf parse failed)
// RUN: %onnx-encode < relu.txtpb > relu.onnx
// RUN: head -c 30 relu.onnx > truncated.onnx
// RUN: not attnc truncated.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: attnc: error: truncated.onnx: not an ONNX model (protobuf parse failed)
// RUN: not attnc missing.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: attnc: error: missing.onnx: cannot read: No such file or directory

// A node input that nothing defines (a missing initializer).
// RUN: %onnx-encode < dangling.txtpb > dangling.onnx
// RUN: not attnc dangling.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=DANGLING
// DANGLING: attnc: error: dangling.onnx: node 'mm' (MatMul): input 'w' (index 1) is not a graph input, an initializer or the output of an earlier node

// An initializer whose external data file is missing, or too short.
// RUN: %onnx-encode < external.txtpb > external.onnx
// RUN: not attnc external.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=NO-DATA
// NO-DATA: attnc: error: external.onnx: initializer 'w': cannot read external data file '{{.*}}external.onnx.data': No such file or directory
// RUN: printf '0123456789' > external.onnx.data
// RUN: not attnc external.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=SHORT-DATA
// SHORT-DATA: attnc: error: external.onnx: initializer 'w': external data at offset 0 (64 bytes) runs past the end of '{{.*}}external.onnx.data' (10 bytes)

// A shape that depends on data.
// RUN: %onnx-encode < datashape.txtpb > datashape.onnx
// RUN: not attnc datashape.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=DATA-SHAPE
// DATA-SHAPE: attnc: error: datashape.onnx: node 'reshape' (Reshape): input shape is not known when the model is imported (it depends on the data, not only on the input shapes)

// Shapes that do not broadcast.
// RUN: %onnx-encode < broadcast.txtpb > broadcast.onnx
// RUN: not attnc broadcast.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BROADCAST
// BROADCAST: attnc: error: broadcast.onnx: node 'add' (Add): input shapes [batch, 4], [3] do not broadcast

// A graph output nothing computes.
// RUN: sed 's/name: "y" type/name: "nope" type/' relu.txtpb | %onnx-encode > noout.onnx
// RUN: not attnc noout.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=NO-OUTPUT
// NO-OUTPUT: attnc: error: noout.onnx: graph output 'nope' is not a graph input, an initializer or a node output

// Runtime inputs that disagree with the graph: a size that is fixed, and
// two sizes of one name ("batch").
// RUN: %onnx-encode < add2.txtpb > add2.onnx
// RUN: %onnx-encode-tensor < x2x4.txtpb > x2x4.pb
// RUN: %onnx-encode-tensor < x3x4.txtpb > x3x4.pb
// RUN: %onnx-encode-tensor < x2x5.txtpb > x2x5.pb
// RUN: attn-run add2.onnx --input x2x4.pb --input x2x4.pb --output-dir out | FileCheck %s --check-prefix=EXEC-OK
// EXEC-OK: z: f32 [2, 4]
// RUN: not attn-run add2.onnx --input x2x5.pb --input x2x4.pb --output-dir out 2>&1 | FileCheck %s --check-prefix=EXEC-STATIC
// EXEC-STATIC: attn-run: error: input 'x' must have shape [-1, 4] (-1: any), got [2, 5]
// RUN: not attn-run add2.onnx --input x2x4.pb --input x3x4.pb --output-dir out 2>&1 | FileCheck %s --check-prefix=EXEC-NAMED
// EXEC-NAMED: attn-run: error: input 'y' has size 3 in dimension 0 (batch), but input 'x' has 2 in dimension 0; main needs them equal

//--- unsupported.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" output: "y" op_type: "Foo" name: "foo1" }
  node { input: "y" output: "z" op_type: "Relu" name: "relu" }
  node { input: "z" output: "w" op_type: "Bar" domain: "com.acme" name: "bar" }
  node { input: "w" output: "v" op_type: "Gelu" }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  output { name: "v" type { tensor_type { elem_type: 1 } } }
}
//--- relu.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" output: "y" op_type: "Relu" name: "relu" }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- dangling.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" input: "w" output: "y" op_type: "MatMul" name: "mm" }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- external.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" input: "w" output: "y" op_type: "MatMul" name: "mm" }
  initializer {
    name: "w" dims: 4 dims: 4 data_type: 1 data_location: EXTERNAL
    external_data { key: "location" value: "external.onnx.data" }
    external_data { key: "offset" value: "0" }
  }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- datashape.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" input: "s" output: "y" op_type: "Reshape" name: "reshape" }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  input { name: "s" type { tensor_type { elem_type: 7 shape { dim { dim_value: 2 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- broadcast.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" input: "b" output: "y" op_type: "Add" name: "add" }
  initializer { name: "b" dims: 3 data_type: 1 float_data: 1 float_data: 2 float_data: 3 }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  output { name: "y" type { tensor_type { elem_type: 1 } } }
}
//--- add2.txtpb
ir_version: 8
opset_import { domain: "" version: 17 }
graph {
  name: "g"
  node { input: "x" input: "y" output: "z" op_type: "Add" name: "add" }
  input { name: "x" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  input { name: "y" type { tensor_type { elem_type: 1 shape { dim { dim_param: "batch" } dim { dim_value: 4 } } } } }
  output { name: "z" type { tensor_type { elem_type: 1 } } }
}
//--- x2x4.txtpb
dims: 2 dims: 4 data_type: 1
float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 7 float_data: 8
//--- x3x4.txtpb
dims: 3 dims: 4 data_type: 1
float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 7 float_data: 8 float_data: 9 float_data: 10 float_data: 11 float_data: 12
//--- x2x5.txtpb
dims: 2 dims: 5 data_type: 1
float_data: 1 float_data: 2 float_data: 3 float_data: 4 float_data: 5 float_data: 6 float_data: 7 float_data: 8 float_data: 9 float_data: 10
