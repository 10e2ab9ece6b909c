// attn-sink-deallocs: each dealloc moves up to just after the last use of
// its buffer or of a view of it.
// RUN: attn-opt %s --pass-pipeline='builtin.module(func.func(attn-sink-deallocs))' --split-input-file | FileCheck %s

func.func private @use(memref<?xf32, strided<[?], offset: ?>>)
func.func private @use2(memref<4x?xf32>)

// %a's last use is through a cast, %b's through a view inside an scf.if;
// %c escapes through the return and its dealloc (none here) is not made.
// CHECK-LABEL: func.func @sink
// CHECK: %[[A:.*]] = memref.alloc
// CHECK: %[[B:.*]] = memref.alloc
// CHECK: %[[CA:.*]] = memref.cast %[[A]]
// CHECK: call @use(%[[CA]])
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK: scf.if
// CHECK: memref.expand_shape %[[B]]
// CHECK: call @use2
// CHECK: }
// CHECK-NEXT: memref.dealloc %[[B]]
// CHECK: %[[C:.*]] = memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return %[[C]]
func.func @sink(%n: index, %p: i1) -> memref<?xf32> {
  %a = memref.alloc(%n) : memref<?xf32>
  %b = memref.alloc(%n) : memref<?xf32>
  %ca = memref.cast %a : memref<?xf32> to memref<?xf32, strided<[?], offset: ?>>
  call @use(%ca) : (memref<?xf32, strided<[?], offset: ?>>) -> ()
  scf.if %p {
    %m = arith.divui %n, %n : index
    %v = memref.expand_shape %b [[0, 1]] output_shape [4, %m] : memref<?xf32> into memref<4x?xf32>
    func.call @use2(%v) : (memref<4x?xf32>) -> ()
  }
  %c = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %a : memref<?xf32>
  memref.dealloc %b : memref<?xf32>
  return %c : memref<?xf32>
}

// -----

func.func private @make(memref<?xf32>) -> memref<?xf32>

// A buffer a call may return an alias of stays alive as long as the
// call's result; one returned from the function is not moved at all.
// CHECK-LABEL: func.func @through_call
// CHECK: %[[A:.*]] = memref.alloc
// CHECK: %[[R:.*]] = call @make(%[[A]])
// CHECK: memref.load %[[R]]
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK: %[[B:.*]] = memref.alloc
// CHECK: return
// CHECK-NEXT: }
func.func @through_call(%n: index) -> (f32, memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %a = memref.alloc(%n) : memref<?xf32>
  %r = call @make(%a) : (memref<?xf32>) -> memref<?xf32>
  %x = memref.load %r[%c0] : memref<?xf32>
  %b = memref.alloc(%n) : memref<?xf32>
  %y = memref.load %b[%c0] : memref<?xf32>
  memref.dealloc %a : memref<?xf32>
  return %x, %b : f32, memref<?xf32>
}
