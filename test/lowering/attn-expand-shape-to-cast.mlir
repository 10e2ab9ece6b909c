// RUN: attn-opt %s --attn-expand-shape-to-cast --split-input-file | FileCheck %s

// Two dynamic sizes from one dimension: a reinterpret_cast whose outer
// stride is the inner size times the source stride.
// CHECK-LABEL: func.func @split_dynamic
// CHECK-SAME: (%[[SRC:.*]]: memref<?x32xf32>, %[[B:.*]]: index, %[[L:.*]]: index)
// CHECK: %[[BASE:.*]], %{{.*}}, %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[SRC]]
// CHECK: %[[OUTER:.*]] = affine.apply #{{.*}}()[%{{.*}}, %[[L]]]
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [0], sizes: [%[[B]], %[[L]], 4, 8], strides: [%[[OUTER]], 32, 8, 1]
// CHECK-NOT: memref.expand_shape
func.func @split_dynamic(%src: memref<?x32xf32>, %b: index, %l: index)
    -> memref<?x?x4x8xf32> {
  %e = memref.expand_shape %src [[0, 1], [2, 3]] output_shape [%b, %l, 4, 8]
      : memref<?x32xf32> into memref<?x?x4x8xf32>
  return %e : memref<?x?x4x8xf32>
}

// -----

// A strided source with a dynamic offset keeps both.
// CHECK-LABEL: func.func @strided_source
// CHECK: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata
// CHECK: %[[OUTER:.*]] = affine.apply #{{.*}}()[%[[STRIDES]]#0, %{{.*}}]
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [%[[OFF]]], sizes: [%{{.*}}, %{{.*}}, 16], strides: [%[[OUTER]], %[[STRIDES]]#0, 1]
func.func @strided_source(%src: memref<?x16xf32, strided<[?, 1], offset: ?>>,
                          %b: index, %l: index)
    -> memref<?x?x16xf32, strided<[?, ?, 1], offset: ?>> {
  %e = memref.expand_shape %src [[0, 1], [2]] output_shape [%b, %l, 16]
      : memref<?x16xf32, strided<[?, 1], offset: ?>>
        into memref<?x?x16xf32, strided<[?, ?, 1], offset: ?>>
  return %e : memref<?x?x16xf32, strided<[?, ?, 1], offset: ?>>
}

// -----

// One dynamic size per group is left to expand-strided-metadata.
// CHECK-LABEL: func.func @one_dynamic
// CHECK: memref.expand_shape
// CHECK-NOT: memref.reinterpret_cast
func.func @one_dynamic(%src: memref<?x32xf32>, %b: index) -> memref<?x4x8xf32> {
  %e = memref.expand_shape %src [[0], [1, 2]] output_shape [%b, 4, 8]
      : memref<?x32xf32> into memref<?x4x8xf32>
  return %e : memref<?x4x8xf32>
}
