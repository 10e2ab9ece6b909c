//===- Passes.td - attnc's CPU and GPU lowering passes ---------------------===//

#ifndef ATTNC_LOWERING_PASSES_TD
#define ATTNC_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnVectorizeCpu : Pass<"attn-vectorize-cpu", "func::FuncOp"> {
  let summary = "Tile static-shaped linalg ops to register blocks and "
                "vectorize them";
  let description = [{
    Works on tensors, after `attn-tile-flash`. Every linalg op whose shapes
    are all static is tiled so that one tile fits in the vector registers of
    an AVX-512 core, and the tile is vectorized:
    - contractions keep at most 16 accumulator vectors, with the output's
      innermost dimension in the lanes and the reduction dimension stepped
      one at a time, so they lower to broadcast-and-FMA outer products;
    - elementwise ops and reductions run one row of lanes at a time.
    Accumulators that a tile loop reads and writes at the same place are
    then hoisted out of the loop, so they stay in registers. Ops with a
    dynamic shape (the tails of unfused IR, say) are left for
    `convert-linalg-to-loops`.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def AttnLowerToUkernels : Pass<"attn-lower-to-ukernels", "ModuleOp"> {
  let summary = "Lower f32 attn.linear, attn.layer_norm, attn.embedding and "
                "softmax to calls of the CPU micro-kernels";
  let description = [{
    Works on tensors, after `attn-decompose{keep=linear,layer_norm,embedding}`
    and `attn-fuse-epilogues`. Each f32 op becomes a call to a micro-kernel
    of `lowering/ukernels` for the chosen ISA (`attnc_uk_<op>_f32_<isa>`,
    declared as a private function), which reads its operands through
    `bufferization.to_buffer` and writes a fresh buffer that
    `bufferization.to_tensor` hands back. Memrefs cross the call as MLIR's
    LLVM lowering expands them (pointers, offset, sizes, strides).

    - `attn.linear` calls the GEMM kernel with its epilogue (bias,
      activation, residual) in the flags. A constant weight is packed into
      the kernel's panel layout now, into a private constant `memref.global`
      (one per distinct constant); any other weight is packed by a kernel
      call at run time. When the input is heads merged back by a
      `linalg.transpose [0, 2, 1, 3]` and a collapse, the kernel reads the
      heads in place; when the result's only use splits it into heads
      (expand, then that transpose), the kernel writes `[B, H, L, D]`
      directly. Neither transpose is then computed.
    - `attn.layer_norm`, `attn.softmax` and `attn.log_softmax` along the
      last axis, and `attn.embedding` (i32 or i64 indices) call
      row-parallel vectorized kernels.

    Ops of other element types are left alone; `attn-decompose` expands them
    afterwards. The `isa` option picks the kernels and the packed layout:
    `avx512`, `avx2`, `generic` (4-lane vectors), or `host` (the running
    CPU's best). The module that calls the kernels must be linked with
    them (`attnc::linkUkernels`) before LLVM compiles it.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"host\"",
           "Micro-kernel instruction set: host, avx512, avx2 or generic">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect"
  ];
}

def AttnSinkDeallocs : Pass<"attn-sink-deallocs", "func::FuncOp"> {
  let summary = "Free each buffer right after its last use";
  let description = [{
    Runs after `buffer-deallocation-pipeline`, which frees every buffer at
    the end of the block that allocated it. Each `memref.dealloc` of a
    buffer allocated in its own block moves up to just after the last
    operation of that block that uses the buffer or any value that may alias
    it (views, casts, and the results of ops with regions, which may yield
    it). A buffer that reaches the block's terminator is left alone.

    In a whole model this frees each layer's activations before the next
    layer allocates its own, so the allocator reuses memory that is already
    mapped instead of touching fresh pages on every call, and the peak
    memory is a few layers' worth instead of the whole model's.
  }];
}

def AttnFlattenConstants : Pass<"attn-flatten-constants", "ModuleOp"> {
  let summary = "Retype large constant LLVM globals as byte arrays";
  let description = [{
    Runs on the LLVM dialect, last in `attn-cpu-pipeline`. Every
    `llvm.mlir.global` whose initial value is a non-splat `dense` or
    `dense_resource` of at least 4 KiB becomes an `!llvm.array<bytes x i8>`
    with the same bytes (a `dense_resource` keeps its blob). LLVM emits a
    float array element by element and a byte array as one block; for a
    model's weights that is most of the time it spends generating code.
    With opaque pointers the users of a global address it in bytes, so
    nothing else changes.
  }];
}

def AttnLowerVectorCpu : Pass<"attn-lower-vector-cpu", "func::FuncOp"> {
  let summary = "Lower vector contractions, reductions, transfers and math "
                "to what the LLVM backend vectorizes well";
  let description = [{
    Runs after bufferization: `vector.contract` becomes outer products
    (broadcast + FMA), multi-reductions become lane-wise ops across rows,
    transfers with permutation maps become plain loads with transposes or
    broadcasts, and `math.exp2`, `math.exp`, `math.tanh` and `math.erf`
    become polynomial approximations that stay in vector registers instead
    of scalar libm calls (`exp2(x)` is computed as `exp(x·ln 2)`).
    `memref.copy` becomes loops, so that compiled code never calls the
    `memrefCopy` helper of MLIR's runner utilities.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def AttnExpandShapeToCast : Pass<"attn-expand-shape-to-cast",
                                 "func::FuncOp"> {
  let summary = "Rewrite memref.expand_shape with several dynamic sizes in "
                "one group as memref.reinterpret_cast";
  let description = [{
    MLIR 22.1's `expand-strided-metadata` crashes on a `memref.expand_shape`
    that splits one dimension into two or more dynamic ones (`[B*L, E]` into
    `[B, L, E]` with dynamic B and L, as a linear layer on a dynamic batch
    produces). This pass runs before it and rewrites exactly those ops as a
    `memref.reinterpret_cast` of the source's base buffer: same offset, the
    given sizes, and for each group the source stride times the sizes to its
    right. Every other `expand_shape` is left to `expand-strided-metadata`.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect"];
}

def AttnGpuFlash : Pass<"attn-gpu-flash"> {
  let summary = "Lower attn.sdpa and attn.hard to flash-attention GPU kernels";
  let description = [{
    Runs on tensors, after `attn-decompose`. Each `attn.sdpa` and
    `attn.hard` becomes a `gpu.launch` over (batch·head, query block) that
    reads its operands through `bufferization.to_buffer` and writes fresh
    buffers, which `bufferization.to_tensor` hands back to the tensor world.

    - f16 and bf16 `attn.sdpa` without weights or cosine scores, with head
      dims that are multiples of 16 (up to 256), get the tensor-core kernel:
      FlashAttention-2 with `nvgpu.ldmatrix`, `mma.sync` m16n8k16 (f32
      accumulation), K/V tiles double-buffered in dynamic shared memory by
      `nvgpu.device_async_copy`, and quad shuffles for the row max and sum.
    - Everything else (f32, `attn.hard`, attention weights, cosine scores,
      other head dims, or `tensor-cores=false`) gets the SIMT kernel: one
      thread per query row over key tiles staged in shared memory.

    Both use the online softmax in the exp2 domain, visit only the key
    blocks that meet the causal/window band, skip mask arithmetic on blocks
    inside it, read masks of any broadcast rank from global memory, and
    index the shared KV head in place for GQA. Any other attn op left in the
    IR is an error, as are a `gpu-arch` other than sm_80 or sm_90 and block
    sizes the kernels cannot use.
  }];
  let options = [
    Option<"gpuArch", "gpu-arch", "std::string", /*default=*/"\"sm_80\"",
           "Target GPU architecture: sm_80 or sm_90">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "Use the mma.sync kernel for f16/bf16 where it applies">,
    Option<"queryBlock", "query-block", "int64_t", /*default=*/"0",
           "Queries per thread block, a multiple of 16 (0: 64)">,
    Option<"keyBlock", "key-block", "int64_t", /*default=*/"0",
           "Keys per key tile, a multiple of 16 (0: chosen from the head "
           "dims)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect", "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def AttnGpuHostBuffers : Pass<"attn-gpu-host-buffers", "func::FuncOp"> {
  let summary = "Put every buffer of a bufferized host function in device "
                "memory";
  let description = [{
    Runs after one-shot bufferization of the GPU path, when host functions
    take and return device buffers (lowering/README.md, "Memory contract"):
    - `memref.alloc` becomes `gpu.alloc`, freed by a `gpu.dealloc` after its
      last use unless it is returned;
    - a returned buffer that the function does not own (an argument, a
      constant, one returned twice) is copied into a fresh allocation, so
      that the caller owns every result;
    - `memref.get_global` constants are copied to the device once per call;
    - `memref.copy` becomes `gpu.memcpy` between identity layouts, and
      `linalg.copy` (a kernel, after the loop passes) otherwise.
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def AttnGpuTileLoops : Pass<"attn-gpu-tile-loops", "func::FuncOp"> {
  let summary = "Tile host scf.parallel loops into blocks of GPU threads";
  let description = [{
    Splits each outermost `scf.parallel` of a host function (what
    `convert-linalg-to-parallel-loops` makes of linalg ops) into a loop over
    tiles and a nested loop within a tile, so that `gpu-map-parallel-loops`
    maps the tiles to thread blocks and the inner loop to threads. The
    innermost dimension, contiguous in memory, is tiled by up to `threads`;
    the other dimensions by 1. Partial tiles are guarded with `scf.if`.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"128",
           "Threads per block along the innermost dimension">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect"
  ];
}

def AttnGpuCheckHost : Pass<"attn-gpu-check-host", "func::FuncOp"> {
  let summary = "Reject host code that touches device memory; skip empty "
                "launches";
  let description = [{
    The last step before kernel outlining on the GPU path. Host code must
    only allocate, copy and launch: an op outside `gpu.launch` that reads or
    writes a buffer (which lives in device memory) is reported, naming the
    op, since the host cannot dereference device pointers. Each `gpu.launch`
    whose grid size is not a constant is wrapped in an `scf.if` that skips
    it when a dimension is 0 (empty batches or sequences), which CUDA would
    reject.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect"
  ];
}

def AttnGpuExternShared : Pass<"attn-gpu-extern-shared", "gpu::GPUModuleOp"> {
  let summary = "Give the dynamic shared memory symbol external linkage";
  let description = [{
    Runs on a kernel module in the LLVM dialect, after `convert-gpu-to-nvvm`.
    That conversion declares dynamic shared memory as an internal
    zero-sized array in address space 3, which the NVPTX backend then
    "demotes" to a one-byte static `.shared` variable of the kernel. This
    pass makes every such array external, so that it is emitted as CUDA's
    `.extern .shared .align 16 .b8 name[]`, the base of the dynamic shared
    memory that the launch sizes.
  }];
}

#endif // ATTNC_LOWERING_PASSES_TD
