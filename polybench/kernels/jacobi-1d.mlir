// PolyBench 4.2.1 jacobi-1d (stencils): 3-point Jacobi, B := avg3(A), A := avg3(B) for t < TSTEPS, LARGE dataset (TSTEPS=500, N=2000).
module {
  func.func @kernel_jacobi_1d(%arg0: i32, %arg1: i32, %arg2: memref<2000xf64>, %arg3: memref<2000xf64>) {
    %cst = arith.constant 3.333300e-01 : f64
    affine.for %arg4 = 0 to 500 {
      affine.for %arg5 = 1 to 1999 {
        %0 = affine.load %arg2[%arg5 - 1] : memref<2000xf64>
        %1 = affine.load %arg2[%arg5] : memref<2000xf64>
        %2 = arith.addf %0, %1 : f64
        %3 = affine.load %arg2[%arg5 + 1] : memref<2000xf64>
        %4 = arith.addf %2, %3 : f64
        %5 = arith.mulf %cst, %4 : f64
        affine.store %5, %arg3[%arg5] : memref<2000xf64>
      }
      affine.for %arg5 = 1 to 1999 {
        %0 = affine.load %arg3[%arg5 - 1] : memref<2000xf64>
        %1 = affine.load %arg3[%arg5] : memref<2000xf64>
        %2 = arith.addf %0, %1 : f64
        %3 = affine.load %arg3[%arg5 + 1] : memref<2000xf64>
        %4 = arith.addf %2, %3 : f64
        %5 = arith.mulf %cst, %4 : f64
        affine.store %5, %arg2[%arg5] : memref<2000xf64>
      }
    }
    return
  }
}
