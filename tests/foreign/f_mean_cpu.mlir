// mean[c] = (1/9) * sum_s x[c][s] for a [4][9] float array (darknet mean_cpu, batch 1):
// zeroed, accumulated in place, then scaled by the constant 1/spatial.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_mean_cpu(%arg0: memref<4x9xf32>, %arg1: i32, %arg2: i32, %arg3: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 0.111111112 : f32
    affine.for %arg4 = 0 to 4 {
      affine.store %cst, %arg3[%arg4] : memref<4xf32>
      affine.for %arg5 = 0 to 9 {
        %2 = affine.load %arg0[%arg4, %arg5] : memref<4x9xf32>
        %3 = affine.load %arg3[%arg4] : memref<4xf32>
        %4 = arith.addf %3, %2 : f32
        affine.store %4, %arg3[%arg4] : memref<4xf32>
      }
      %0 = affine.load %arg3[%arg4] : memref<4xf32>
      %1 = arith.mulf %0, %cst_0 : f32
      affine.store %1, %arg3[%arg4] : memref<4xf32>
    }
    return
  }
}
