// D[i][j] = (A[i][j] + B[i][j]) * C[i][j] - s * A[i][j] (elementwise over several arrays,
// scalar f32 argument s); static 6x11 f32.
module {
  func.func @c_elementwise_f32(%arg0: f32, %arg1: memref<6x11xf32>, %arg2: memref<6x11xf32>, %arg3: memref<6x11xf32>, %arg4: memref<6x11xf32>) {
    affine.for %arg5 = 0 to 6 {
      affine.for %arg6 = 0 to 11 {
        %0 = affine.load %arg1[%arg5, %arg6] : memref<6x11xf32>
        %1 = affine.load %arg2[%arg5, %arg6] : memref<6x11xf32>
        %2 = arith.addf %0, %1 : f32
        %3 = affine.load %arg3[%arg5, %arg6] : memref<6x11xf32>
        %4 = arith.mulf %2, %3 : f32
        %5 = arith.mulf %arg0, %0 : f32
        %6 = arith.subf %4, %5 : f32
        affine.store %6, %arg4[%arg5, %arg6] : memref<6x11xf32>
      }
    }
    return
  }
}
