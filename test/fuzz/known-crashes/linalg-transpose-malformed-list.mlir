func.func @f(%a: tensor<2x3x4x5xf32>, %e: tensor<2x4x3x5xf32>) -> tensor<2x4x3x5xf32> {
  %t = linalg.transpose ins(%a : tensor<2x3x4x5xf32>) outs(%e : tensor<2x4x3x5xf32>) permutation = [0,, 2 1, 3]
  return %t : tensor<2x4x3x5xf32>
}
