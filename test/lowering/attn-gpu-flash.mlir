// attn-gpu-flash: attn.sdpa / attn.hard into gpu.launch kernels, on tensors.
// RUN: attn-opt %s --attn-gpu-flash | FileCheck %s
// RUN: attn-opt %s --attn-gpu-flash=tensor-cores=false | FileCheck %s --check-prefix=SIMT
// RUN: attn-opt %s --attn-gpu-flash="gpu-arch=sm_90 query-block=32 key-block=32" | FileCheck %s --check-prefix=BLOCKS

// f16: the tensor-core kernel. Operands are read through to_buffer, the
// output is a fresh buffer handed back by to_tensor. One block per
// (batch·head, 64-query block), 4 warps, K/V double-buffered in dynamic
// shared memory ([64 + 2·64 + 2·64 rows] × 72 padded columns × 2 bytes).
// CHECK-LABEL: func.func @sdpa_f16(
// CHECK-DAG: %[[Q:.*]] = bufferization.to_buffer %arg0 read_only : tensor<2x8x?x64xf16> to memref<2x8x?x64xf16>
// CHECK-DAG: %[[K:.*]] = bufferization.to_buffer %arg1 read_only
// CHECK-DAG: %[[V:.*]] = bufferization.to_buffer %arg2 read_only
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<2x8x?x64xf16>
// CHECK: %[[SMEM:.*]] = arith.constant 46080 : i32
// CHECK: gpu.launch blocks({{.*}}) threads({{.*}}) in (%{{.*}} = %c128{{.*}}) dynamic_shared_memory_size %[[SMEM]] {
// CHECK: gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<64x72xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<2x64x72xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<2x64x72xf16, #gpu.address_space<workgroup>>
// Q tile by cp.async (rows past Lq zero-filled), then the first K/V tile.
// CHECK: nvgpu.device_async_copy %[[Q]][{{.*}}], %{{.*}}[{{.*}}], 8, %{{.*}} {bypassL1} : memref<2x8x?x64xf16> to memref<64x72xf16, #gpu.address_space<workgroup>>
// CHECK: %[[G0:.*]] = nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_copy %[[K]]
// CHECK: nvgpu.device_async_copy %[[V]]
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_wait %[[G0]] {numGroups = 0 : i32}
// CHECK: gpu.barrier
// Q fragments stay in registers: D/16 = 4 ldmatrix.x4.
// CHECK-COUNT-4: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} : memref<64x72xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// The key-block loop carries m, l (two rows per lane) and 8 O tiles.
// CHECK: scf.for {{.*}} -> (f32, f32, f32, f32, vector<2x2xf32>
// The next block is prefetched into the other buffer (or an empty group is
// committed), then all but the newest group are awaited.
// CHECK: scf.if
// CHECK: nvgpu.device_async_copy %[[K]]
// CHECK: nvgpu.device_async_create_group
// CHECK: } else {
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_wait %[[G0]] {numGroups = 1 : i32}
// CHECK: gpu.barrier
// S = Q·Kᵀ: K tiles by plain ldmatrix, two n8 tiles per x4.
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} : memref<2x64x72xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// Row max across the quad, exp2, then O += P·V with V by ldmatrix .trans.
// CHECK: gpu.shuffle xor %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK: gpu.shuffle xor
// CHECK: math.exp2
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true} : memref<2x64x72xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.mma.sync
// CHECK: gpu.barrier
// CHECK: scf.yield
// Row sums reduced across the quad; two f16 per lane stored per tile.
// CHECK: gpu.shuffle xor
// CHECK: vector.store %{{.*}}, %[[OUT]][{{.*}}] : memref<2x8x?x64xf16>, vector<2xf16>
// CHECK: gpu.terminator
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable : memref<2x8x?x64xf16> to tensor<2x8x?x64xf16>
// SIMT-LABEL: func.func @sdpa_f16(
// SIMT-NOT: nvgpu.
// SIMT: gpu.launch {{.*}} workgroup(%{{.*}} : memref<64x64xf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<64x64xf16, #gpu.address_space<workgroup>>) private(%{{.*}} : memref<64xf32, #gpu.address_space<private>>, %{{.*}} : memref<64xf32, #gpu.address_space<private>>)
// SIMT-NOT: nvgpu.
// SIMT: gpu.terminator
// 32 queries (2 warps) by 32 keys: (32 + 2·32 + 2·32) rows × 72 × 2 bytes.
// BLOCKS-LABEL: func.func @sdpa_f16(
// BLOCKS: arith.constant 23040 : i32
// BLOCKS: gpu.launch {{.*}} in (%{{.*}} = %c64{{.*}}) dynamic_shared_memory_size
func.func @sdpa_f16(%q: tensor<2x8x?x64xf16>, %k: tensor<2x2x?x64xf16>, %v: tensor<2x2x?x64xf16>) -> tensor<2x8x?x64xf16> {
  %o = attn.sdpa %q, %k, %v {causal} : (tensor<2x8x?x64xf16>, tensor<2x2x?x64xf16>, tensor<2x2x?x64xf16>) -> tensor<2x8x?x64xf16>
  return %o : tensor<2x8x?x64xf16>
}

// bf16: nvgpu.mma.sync does not take bf16, so the NVVM op does, with each
// register of two bf16 as an i32. A float mask is read per score from
// global memory (broadcast dims at index 0) and scaled by log2(e).
// CHECK-LABEL: func.func @sdpa_bf16(
// CHECK: gpu.launch
// CHECK: nvgpu.ldmatrix {{.*}} -> vector<4x2xbf16>
// CHECK: vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: memref.load %{{.*}}[%{{.*}}, %c0{{.*}}, %c0{{.*}}, %{{.*}}] : memref<1x1x1x?xbf16>
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.mulf %{{.*}}, %cst{{.*}} : f32
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK: nvvm.mma.sync
// CHECK: vector.store {{.*}} : memref<1x4x?x32xbf16>, vector<2xbf16>
func.func @sdpa_bf16(%q: tensor<1x4x?x32xbf16>, %k: tensor<1x4x?x32xbf16>, %v: tensor<1x4x?x32xbf16>, %m: tensor<1x1x1x?xbf16>) -> tensor<1x4x?x32xbf16> {
  %o = attn.sdpa %q, %k, %v mask(%m) : (tensor<1x4x?x32xbf16>, tensor<1x4x?x32xbf16>, tensor<1x4x?x32xbf16>, tensor<1x1x1x?xbf16>) -> tensor<1x4x?x32xbf16>
  return %o : tensor<1x4x?x32xbf16>
}

// f32: the SIMT kernel, one thread per query row, K/V tiles in static
// shared memory, the query row and the accumulator in private memory. GQA
// reads KV head h / 2 in place; the bool mask [B, 1, 1, Lk] broadcasts over
// heads and queries. Blocks inside the causal band skip the band test.
// CHECK-LABEL: func.func @simt_f32(
// CHECK: gpu.launch blocks({{.*}}) threads({{.*}}) in (%{{.*}} = %c64{{.*}}) workgroup(%[[KT:.*]] : memref<64x32xf32, #gpu.address_space<workgroup>>, %[[VT:.*]] : memref<64x48xf32, #gpu.address_space<workgroup>>) private(%[[QR:.*]] : memref<32xf32, #gpu.address_space<private>>, %[[ACC:.*]] : memref<48xf32, #gpu.address_space<private>>)
// CHECK: %[[HEAD:.*]] = arith.remui %{{.*}}, %c4
// CHECK: %[[KVH:.*]] = arith.divui %[[HEAD]], %c2
// CHECK: memref.store %{{.*}}, %[[QR]]
// CHECK: scf.for
// CHECK: memref.load %{{.*}}[%{{.*}}, %[[KVH]], %{{.*}}, %{{.*}}] : memref<2x2x?x32xf32>
// CHECK: memref.store %{{.*}}, %[[KT]]
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK: scf.if
// CHECK: memref.load %{{.*}}[%{{.*}}, %c0{{.*}}, %c0{{.*}}, %{{.*}}] : memref<2x1x1x?xi1>
// CHECK: arith.maximumf
// CHECK: math.exp2
// CHECK: memref.store %{{.*}}, %[[ACC]]
// CHECK: } else {
// CHECK: arith.cmpi sle
// CHECK: gpu.barrier
// CHECK: arith.cmpf une
// CHECK: memref.store {{.*}} : memref<2x4x?x48xf32>
func.func @simt_f32(%q: tensor<2x4x?x32xf32>, %k: tensor<2x2x?x32xf32>, %v: tensor<2x2x?x48xf32>, %m: tensor<2x1x1x?xi1>) -> tensor<2x4x?x48xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m) {causal} : (tensor<2x4x?x32xf32>, tensor<2x2x?x32xf32>, tensor<2x2x?x48xf32>, tensor<2x1x1x?xi1>) -> tensor<2x4x?x48xf32>
  return %o : tensor<2x4x?x48xf32>
}

// Weights and cosine scores take the SIMT kernel even in f16: key norms are
// staged next to the tiles, and a second pass writes every weight.
// CHECK-LABEL: func.func @weights_cosine(
// CHECK: %[[W:.*]] = memref.alloc() : memref<1x2x8x8xf16>
// CHECK-NOT: nvgpu.
// CHECK: gpu.launch {{.*}} workgroup({{.*}}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>>)
// CHECK: math.sqrt
// CHECK: memref.store {{.*}}, %[[W]]
// CHECK: bufferization.to_tensor %[[W]] restrict writable
func.func @weights_cosine(%q: tensor<1x2x8x16xf16>, %k: tensor<1x2x8x16xf16>, %v: tensor<1x2x8x16xf16>) -> (tensor<1x2x8x16xf16>, tensor<1x2x8x8xf16>) {
  %o, %w = attn.sdpa %q, %k, %v {score = #attn.score<cosine>, softcap = 20.0 : f64} : (tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>) -> (tensor<1x2x8x16xf16>, tensor<1x2x8x8xf16>)
  return %o, %w : tensor<1x2x8x16xf16>, tensor<1x2x8x8xf16>
}

// Hard attention: a running (max, argmax) with a strict > so that the first
// maximum wins, then the chosen value row is gathered (0 for none).
// CHECK-LABEL: func.func @hard(
// CHECK: gpu.launch
// CHECK: math.tanh
// CHECK: arith.cmpf ogt
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : i64
// CHECK: arith.cmpi sge, %{{.*}}, %c0_i64
// CHECK: memref.load %{{.*}} : memref<1x1x9x16xf32>
func.func @hard(%q: tensor<1x2x5x16xf32>, %k: tensor<1x1x9x16xf32>, %v: tensor<1x1x9x16xf32>) -> tensor<1x2x5x16xf32> {
  %o = attn.hard %q, %k, %v {window = array<i64: 2, 2>, softcap = 5.0 : f64} : (tensor<1x2x5x16xf32>, tensor<1x1x9x16xf32>, tensor<1x1x9x16xf32>) -> tensor<1x2x5x16xf32>
  return %o : tensor<1x2x5x16xf32>
}
