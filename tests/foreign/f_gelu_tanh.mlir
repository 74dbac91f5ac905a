// y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) for 9 floats (GELU, tanh approximation).
module {
  func.func @f_gelu_tanh(%arg0: memref<9xf32>, %arg1: memref<9xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 5.000000e-01 : f32
    %cst_0 = arith.constant 1.000000e+00 : f32
    %cst_1 = arith.constant 0.797884583 : f32
    %cst_2 = arith.constant 4.471500e-02 : f32
    affine.for %arg2 = 0 to 9 {
      %0 = affine.load %arg0[%arg2] : memref<9xf32>
      %1 = arith.mulf %0, %0 : f32
      %2 = arith.mulf %1, %0 : f32
      %3 = arith.mulf %2, %cst_2 : f32
      %4 = arith.addf %0, %3 : f32
      %5 = arith.mulf %4, %cst_1 : f32
      %6 = math.tanh %5 : f32
      %7 = arith.addf %6, %cst_0 : f32
      %8 = arith.mulf %0, %cst : f32
      %9 = arith.mulf %8, %7 : f32
      affine.store %9, %arg1[%arg2] : memref<9xf32>
    }
    return
  }
}
