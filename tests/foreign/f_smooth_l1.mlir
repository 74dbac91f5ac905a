// d = truth - pred; error[i] = |d| < 1 ? d^2 : 2|d| - 1; delta[i] = |d| < 1 ? d : (d > 0 ? 1 : -1)
// for 10 floats (darknet smooth_l1_cpu, the ifs as selects).
module {
  func.func @f_smooth_l1(%arg0: i32, %arg1: memref<10xf32>, %arg2: memref<10xf32>, %arg3: memref<10xf32>, %arg4: memref<10xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    %cst_0 = arith.constant 2.000000e+00 : f32
    %cst_1 = arith.constant 0.000000e+00 : f32
    %cst_2 = arith.constant -1.000000e+00 : f32
    affine.for %arg5 = 0 to 10 {
      %0 = affine.load %arg2[%arg5] : memref<10xf32>
      %1 = affine.load %arg1[%arg5] : memref<10xf32>
      %2 = arith.subf %0, %1 : f32
      %3 = math.absf %2 : f32
      %4 = arith.cmpf olt, %3, %cst : f32
      %5 = arith.mulf %2, %2 : f32
      %6 = arith.mulf %3, %cst_0 : f32
      %7 = arith.subf %6, %cst : f32
      %8 = arith.select %4, %5, %7 : f32
      affine.store %8, %arg4[%arg5] : memref<10xf32>
      %9 = arith.cmpf ogt, %2, %cst_1 : f32
      %10 = arith.select %9, %cst, %cst_2 : f32
      %11 = arith.select %4, %2, %10 : f32
      affine.store %11, %arg3[%arg5] : memref<10xf32>
    }
    return
  }
}
