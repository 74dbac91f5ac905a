module {
  func.func @forward_columns(%L: memref<6x6xf64>, %x: memref<6xf64>) {
    affine.for %j = 0 to 6 {
      %0 = affine.load %x[%j] : memref<6xf64>
      %1 = affine.load %L[%j, %j] : memref<6x6xf64>
      %2 = arith.divf %0, %1 : f64
      affine.store %2, %x[%j] : memref<6xf64>
      affine.for %i = affine_map<(d0) -> (d0 + 1)>(%j) to 6 {
        %3 = affine.load %L[%i, %j] : memref<6x6xf64>
        %4 = affine.load %x[%j] : memref<6xf64>
        %5 = arith.mulf %3, %4 : f64
        %6 = affine.load %x[%i] : memref<6xf64>
        %7 = arith.subf %6, %5 : f64
        affine.store %7, %x[%i] : memref<6xf64>
      }
    }
    return
  }
}
