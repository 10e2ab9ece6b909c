//===- Passes.td - attnc's CPU lowering passes -----------------------------===//

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

#endif // ATTNC_LOWERING_PASSES_TD
