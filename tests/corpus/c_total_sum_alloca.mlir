// s[0] = sum_{i,j} A[i][j]; static 7x11 f64, accumulated in a 0-d memref.alloca scratch
// (a C local `double acc`), written once to a one-element output.
module {
  func.func @c_total_sum_alloca(%arg0: memref<7x11xf64>, %arg1: memref<1xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<f64>
    affine.store %cst, %alloca[] : memref<f64>
    affine.for %arg2 = 0 to 7 {
      affine.for %arg3 = 0 to 11 {
        %1 = affine.load %arg0[%arg2, %arg3] : memref<7x11xf64>
        %2 = affine.load %alloca[] : memref<f64>
        %3 = arith.addf %2, %1 : f64
        affine.store %3, %alloca[] : memref<f64>
      }
    }
    %0 = affine.load %alloca[] : memref<f64>
    affine.store %0, %arg1[0] : memref<1xf64>
    return
  }
}
