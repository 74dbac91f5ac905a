module {
  func.func @trsm_right_upper(%U: memref<4x4xf64>, %B: memref<3x4xf64>) {
    affine.for %j = 0 to 4 {
      affine.for %k = 0 to affine_map<(d0) -> (d0)>(%j) {
        affine.for %i = 0 to 3 {
          %0 = affine.load %B[%i, %k] : memref<3x4xf64>
          %1 = affine.load %U[%k, %j] : memref<4x4xf64>
          %2 = arith.mulf %0, %1 : f64
          %3 = affine.load %B[%i, %j] : memref<3x4xf64>
          %4 = arith.subf %3, %2 : f64
          affine.store %4, %B[%i, %j] : memref<3x4xf64>
        }
      }
      affine.for %i = 0 to 3 {
        %5 = affine.load %B[%i, %j] : memref<3x4xf64>
        %6 = affine.load %U[%j, %j] : memref<4x4xf64>
        %7 = arith.divf %5, %6 : f64
        affine.store %7, %B[%i, %j] : memref<3x4xf64>
      }
    }
    return
  }
}
