// y[i] = sum_{k<=i} x[k] for 16 doubles (inclusive prefix sum as the recurrence
// y[i] = y[i-1] + x[i]). Not raisable by design: a loop-carried recurrence.
module {
  func.func @f_prefix_sum(%arg0: memref<16xf64>, %arg1: memref<16xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %0 = affine.load %arg0[0] : memref<16xf64>
    affine.store %0, %arg1[0] : memref<16xf64>
    affine.for %arg2 = 1 to 16 {
      %1 = affine.load %arg1[%arg2 - 1] : memref<16xf64>
      %2 = affine.load %arg0[%arg2] : memref<16xf64>
      %3 = arith.addf %1, %2 : f64
      affine.store %3, %arg1[%arg2] : memref<16xf64>
    }
    return
  }
}
