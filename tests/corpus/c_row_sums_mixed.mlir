// r[i] = sum_j A[i][j]; A is memref<?x17xf64> (Polygeist's type for a C parameter
// `double A[][17]`), n from an index argument; accumulated in a memref<1xf64> alloca scratch.
module {
  func.func @c_row_sums_mixed(%arg0: index, %arg1: memref<?x17xf64>, %arg2: memref<?xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<1xf64>
    affine.for %arg3 = 0 to %arg0 {
      affine.store %cst, %alloca[0] : memref<1xf64>
      affine.for %arg4 = 0 to 17 {
        %1 = affine.load %arg1[%arg3, %arg4] : memref<?x17xf64>
        %2 = affine.load %alloca[0] : memref<1xf64>
        %3 = arith.addf %2, %1 : f64
        affine.store %3, %alloca[0] : memref<1xf64>
      }
      %0 = affine.load %alloca[0] : memref<1xf64>
      affine.store %0, %arg2[%arg3] : memref<?xf64>
    }
    return
  }
}
