module {
  func.func @chol(%A: memref<5x5xf64>) {
    affine.for %i = 0 to 5 {
      affine.for %j = 0 to affine_map<(d0) -> (d0)>(%i) {
        affine.for %k = 0 to affine_map<(d0) -> (d0)>(%j) {
          %0 = affine.load %A[%i, %k] : memref<5x5xf64>
          %1 = affine.load %A[%j, %k] : memref<5x5xf64>
          %2 = arith.mulf %0, %1 : f64
          %3 = affine.load %A[%i, %j] : memref<5x5xf64>
          %4 = arith.subf %3, %2 : f64
          affine.store %4, %A[%i, %j] : memref<5x5xf64>
        }
        %5 = affine.load %A[%j, %j] : memref<5x5xf64>
        %6 = affine.load %A[%i, %j] : memref<5x5xf64>
        %7 = arith.divf %6, %5 : f64
        affine.store %7, %A[%i, %j] : memref<5x5xf64>
      }
      affine.for %k = 0 to affine_map<(d0) -> (d0)>(%i) {
        %8 = affine.load %A[%i, %k] : memref<5x5xf64>
        %9 = arith.mulf %8, %8 : f64
        %10 = affine.load %A[%i, %i] : memref<5x5xf64>
        %11 = arith.subf %10, %9 : f64
        affine.store %11, %A[%i, %i] : memref<5x5xf64>
      }
      %12 = affine.load %A[%i, %i] : memref<5x5xf64>
      %13 = math.sqrt %12 : f64
      affine.store %13, %A[%i, %i] : memref<5x5xf64>
    }
    return
  }
}
