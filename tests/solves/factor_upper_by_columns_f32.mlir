module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @potrf_upper(%arg0: memref<4x4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %j = 0 to 4 {
      affine.for %i = 0 to affine_map<(d0) -> (d0)>(%j) {
        %0 = affine.load %arg0[%i, %j] : memref<4x4xf32>
        %acc = affine.for %k = 0 to affine_map<(d0) -> (d0)>(%i) iter_args(%s = %0) -> (f32) {
          %1 = affine.load %arg0[%k, %i] : memref<4x4xf32>
          %2 = affine.load %arg0[%k, %j] : memref<4x4xf32>
          %3 = arith.mulf %1, %2 : f32
          %4 = arith.subf %s, %3 : f32
          affine.yield %4 : f32
        }
        %5 = affine.load %arg0[%i, %i] : memref<4x4xf32>
        %6 = arith.divf %acc, %5 : f32
        affine.store %6, %arg0[%i, %j] : memref<4x4xf32>
      }
      %7 = affine.load %arg0[%j, %j] : memref<4x4xf32>
      %d = affine.for %k = 0 to affine_map<(d0) -> (d0)>(%j) iter_args(%s = %7) -> (f32) {
        %8 = affine.load %arg0[%k, %j] : memref<4x4xf32>
        %9 = arith.mulf %8, %8 : f32
        %10 = arith.subf %s, %9 : f32
        affine.yield %10 : f32
      }
      %11 = math.sqrt %d : f32
      affine.store %11, %arg0[%j, %j] : memref<4x4xf32>
    }
    return
  }
}
