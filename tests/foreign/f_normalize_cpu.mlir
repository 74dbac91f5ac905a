// x[c][s] = (x[c][s] - mean[c]) / (sqrt(var[c]) + 1e-5) on a [3][8] float array (darknet
// normalize_cpu, batch 1, in place); var > 0.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_normalize_cpu(%arg0: memref<3x8xf32>, %arg1: memref<3xf32>, %arg2: memref<3xf32>, %arg3: i32, %arg4: i32, %arg5: i32) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 9.99999974E-6 : f32
    affine.for %arg6 = 0 to 3 {
      affine.for %arg7 = 0 to 8 {
        %0 = affine.load %arg0[%arg6, %arg7] : memref<3x8xf32>
        %1 = affine.load %arg1[%arg6] : memref<3xf32>
        %2 = arith.subf %0, %1 : f32
        %3 = affine.load %arg2[%arg6] : memref<3xf32>
        %4 = math.sqrt %3 : f32
        %5 = arith.addf %4, %cst : f32
        %6 = arith.divf %2, %5 : f32
        affine.store %6, %arg0[%arg6, %arg7] : memref<3x8xf32>
      }
    }
    return
  }
}
